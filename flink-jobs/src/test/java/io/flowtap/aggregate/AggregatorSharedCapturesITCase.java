package io.flowtap.aggregate;

import io.flowtap.schemas.NetifySchemas;
import io.flowtap.testing.Commands;
import io.flowtap.testing.Tshark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aggregators on captures Flowtap was not built with (nDPI's, beside the repository), with Netify's
 * intervals (update 15 s, log 60 s): each type's per-interval totals equal a recomputation from
 * tshark's per-packet export of the capture, made when the test runs. Skipped, saying why, without
 * the captures or tshark.
 */
class AggregatorSharedCapturesITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long INTERVAL_MS = 60_000;

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "iphone.pcap",
                "tor.pcap",
                "tls_long_cert.pcap",
                "http_ipv6.pcap",
                "doh.pcapng",
                "443-opvn.pcap",
                "google_ssl.pcap"
            })
    void everyTypesIntervalTotalsEqualTsharksPackets(String name) throws Exception {
        Path[] exported = Tshark.exportSharedCapture(name, tmp);
        Path capture = exported[0];
        Path tsv = exported[1];
        CapturePackets packets = CapturePackets.read(tsv);

        Path config = Files.createDirectories(tmp.resolve("config"));
        Path logs = tmp.resolve("logs");
        Files.writeString(
                config.resolve("netify-proc-core.json"),
                "{\"sinks\": {\"sink-log\": {\"flows\": {\"types\": [\"stream-flows\"]}}}}");
        StringBuilder channels = new StringBuilder("\"flows\": {\"log_name\": \"flows\"}");
        for (int type = 1; type <= 4; type++) {
            channels.append(", \"t")
                    .append(type)
                    .append("\": {\"log_name\": \"t")
                    .append(type)
                    .append("\"}");
            Files.writeString(
                    config.resolve("netify-proc-aggregator-t" + type + ".json"),
                    "{\"aggregator\": "
                            + type
                            + ", \"log_interval\": 60, \"privacy_mode\": false, \"nested\": false,"
                            + " \"batched_rows\": 0, \"format\": \"json\", \"compressor\":"
                            + " \"none\", \"sinks\": {\"sink-log\": {\"t"
                            + type
                            + "\": {}}}}");
        }
        Files.writeString(
                config.resolve("netify-sink-log.json"),
                "{\"overwrite\": true, \"log_path\": \""
                        + logs
                        + "\", \"channels\": {"
                        + channels
                        + "}}");
        Commands.Result run = Commands.backfill(capture, tmp.resolve("out"), config);
        assertThat(run.code()).as(run.err()).isZero();

        Map<String, String> localEnds = packets.localEnds();
        Map<Long, long[]> all = new TreeMap<>();
        Map<Long, long[]> internet = new TreeMap<>();
        for (CapturePackets.Packet k : packets.packets()) {
            long t = Math.floorDiv(k.ms(), INTERVAL_MS) * INTERVAL_MS / 1000;
            add(all, t, k.length(), 0, 1);
            if (CapturePackets.toInternet(k)) {
                boolean up = CapturePackets.fromLocal(k, localEnds);
                add(internet, t, up ? k.length() : 0, up ? 0 : k.length(), 1);
            }
        }
        assertThat(all).isNotEmpty();
        System.out.printf(
                "%s: %d packets in %d intervals; Internet %s%n",
                name, packets.packets().size(), all.size(), text(internet));
        for (int type = 1; type <= 4; type++) {
            Map<Long, long[]> got = new TreeMap<>();
            for (String line : Files.readAllLines(logs.resolve("t" + type + ".json"))) {
                JsonNode p = MAPPER.readTree(line);
                assertThat(NetifySchemas.validate("flowtap-aggregate-" + type + ".json", p))
                        .isEmpty();
                for (JsonNode r : p.get("stats")) {
                    add(
                            got,
                            p.get("log_time_start").asLong(),
                            r.path("upload").asLong() + r.path("local_bytes").asLong(),
                            r.path("download").asLong() + r.path("other_bytes").asLong(),
                            r.path("packets").asLong()
                                    + r.path("local_packets").asLong()
                                    + r.path("other_packets").asLong());
                }
            }
            if (type == 1) {
                assertThat(text(got)).as(name + " type 1").isEqualTo(text(internet));
            } else {
                // Direction aside (local/other of flows inside the network is Flowtap's call),
                // every byte and packet of each interval.
                assertThat(text(sumDirections(got)))
                        .as(name + " type " + type)
                        .isEqualTo(text(all));
            }
        }
    }

    private static void add(Map<Long, long[]> m, long t, long a, long b, long packets) {
        long[] v = m.computeIfAbsent(t, x -> new long[3]);
        v[0] += a;
        v[1] += b;
        v[2] += packets;
    }

    private static Map<Long, long[]> sumDirections(Map<Long, long[]> m) {
        Map<Long, long[]> out = new TreeMap<>();
        m.forEach((t, v) -> out.put(t, new long[] {v[0] + v[1], 0, v[2]}));
        return out;
    }

    private static String text(Map<Long, long[]> m) {
        List<String> out = new ArrayList<>();
        m.forEach((t, v) -> out.add(t + "=" + v[0] + "/" + v[1] + "/" + v[2]));
        return String.join(" ", out);
    }
}
