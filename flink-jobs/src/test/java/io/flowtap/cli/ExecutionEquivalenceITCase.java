package io.flowtap.cli;

import io.flowtap.testing.Commands;
import io.flowtap.testing.Parquet;
import io.flowtap.testing.TestData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a backfill runs changes nothing it writes. Joining a flow's packets into one event at the
 * source, and running the flow tracker chained to the source at parallelism 1 (no {@code keyBy}),
 * with a flow table of its own or on RocksDB's keyed state: a backfill with an event per packet
 * ({@code --coalesce-packets 1}) at parallelism 2, one with the default coalescing at parallelism 2
 * and two at parallelism 1 (heap, RocksDB) write the same records to every channel (flows,
 * flow_stats, interface statistics, endpoints, every aggregator type, every intelligence driver)
 * and the same Parquet rows, on the project's captures, a generated capture of overlapping copies,
 * and nDPI's captures where they are beside the repository.
 */
class ExecutionEquivalenceITCase {
    @TempDir Path tmp;

    private static void config(Path dir, Path logs) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("flowtap.json"), "{\"update_interval\": 5}");
        Files.writeString(
                dir.resolve("netify-proc-core.json"),
                """
                {"sinks": {"sink-log": {"flows": {"types": ["stream-flows"]},
                                        "stats": {"types": ["stream-stats"]}}}}
                """);
        StringBuilder channels =
                new StringBuilder(
                        "\"flows\": {\"log_name\": \"flows\"}, \"stats\": {\"log_name\":"
                                + " \"stats\"}, \"intel\": {\"log_name\": \"intel\"}");
        for (int type = 1; type <= 4; type++) {
            channels.append(", \"t").append(type).append("\": {\"log_name\": \"t" + type + "\"}");
            Files.writeString(
                    dir.resolve("netify-proc-aggregator-t" + type + ".json"),
                    "{\"aggregator\": "
                            + type
                            + ", \"nested\": false, \"privacy_mode\": false, \"batched_rows\": 0,"
                            + " \"log_interval\":"
                            + " 10, \"format\": \"json\", \"compressor\": \"none\", \"sinks\":"
                            + " {\"sink-log\": {\"t"
                            + type
                            + "\": {}}}}");
        }
        Files.writeString(
                dir.resolve("netify-sink-log.json"),
                "{\"overwrite\": true, \"log_path\": \""
                        + logs
                        + "\", \"channels\": {"
                        + channels
                        + "}}");
        Files.writeString(
                dir.resolve("netify-proc-intel.json"),
                """
                {"indicator_defaults": {"event_filter": ["dpi_complete", "flow_stats"]},
                 "indicators": {
                   "tls": {"enabled": true, "indicator_driver": "tls_findings"},
                   "dga": {"enabled": true, "indicator_driver": "dga"},
                   "ports": {"enabled": true, "indicator_driver": "port_scan",
                             "criteria": {"window": 10}},
                   "hosts": {"enabled": true, "indicator_driver": "host_scan",
                             "criteria": {"window": 10}},
                   "tunnel": {"enabled": true, "indicator_driver": "dns_tunnel",
                              "criteria": {"window": 10}},
                   "devices": {"enabled": true, "indicator_driver": "new_device"},
                   "upload": {"enabled": true, "indicator_driver": "upload_anomaly",
                              "criteria": {"window": 5, "history": 3, "min_upload": 100000}}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """);
    }

    /** Every log file's lines, sorted, by file name; and the flows dataset's rows, sorted. */
    private Map<String, List<String>> backfill(
            Path capture, String name, String coalesce, String parallelism, String stateBackend)
            throws Exception {
        Path run = tmp.resolve(name + "-" + coalesce + "-" + parallelism + "-" + stateBackend);
        Path logs = run.resolve("logs");
        config(run.resolve("config"), logs);
        Commands.Result r =
                Commands.backfill(
                        capture,
                        run.resolve("out"),
                        run.resolve("config"),
                        "--coalesce-packets",
                        coalesce,
                        "--parallelism",
                        parallelism,
                        "--state-backend",
                        stateBackend);
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, List<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                List<String> lines = new ArrayList<>(Files.readAllLines(f));
                lines.sort(null);
                out.put(f.getFileName().toString(), lines);
            }
        }
        List<String> rows = new ArrayList<>();
        for (Map<String, Object> row :
                Parquet.query(
                        run.resolve("out").resolve("parquet").resolve("flows"),
                        "SELECT * EXCLUDE (dt, hour) FROM DATASET")) {
            rows.add(row.toString());
        }
        rows.sort(null);
        out.put("parquet flows", rows);
        return out;
    }

    private void assertSame(Path capture, String name) throws Exception {
        Map<String, List<String>> perPacket = backfill(capture, name, "1", "2", "heap");
        assertThat(perPacket.get("flows.json")).as(name).isNotEmpty();
        for (Map<String, List<String>> other :
                List.of(
                        backfill(capture, name, "64", "2", "heap"),
                        backfill(capture, name, "64", "1", "heap"),
                        backfill(capture, name, "64", "1", "rocksdb"))) {
            assertThat(other.keySet()).as(name).isEqualTo(perPacket.keySet());
            for (String file : perPacket.keySet()) {
                assertThat(other.get(file)).as(name + " " + file).isEqualTo(perPacket.get(file));
            }
        }
    }

    @Test
    void theProjectsCapturesGiveTheSameOutputs() throws Exception {
        assertSame(TestData.pcap("flowtap-sample.pcap"), "sample");
        assertSame(TestData.pcap("flowtap-intel.pcap"), "intel");
    }

    /** Overlapping copies: many flows open at once, interleaved in the file. */
    @Test
    void aCaptureOfManyOverlappingFlowsGivesTheSameOutputs() throws Exception {
        Path big = tmp.resolve("copies.pcap");
        io.flowtap.bench.CaptureMultiplier.main(
                new String[] {
                    big.toString(),
                    TestData.pcap("flowtap-intel.pcap") + ":4:0.5",
                    TestData.pcap("flowtap-sample.pcap") + ":20:0.1"
                });
        assertSame(big, "copies");
    }

    @Test
    void nDpisCapturesGiveTheSameOutputs() throws Exception {
        Path shared = TestData.sharedPcaps();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                shared != null, "the shared captures are not beside the repository");
        for (String name :
                List.of(
                        "iphone.pcap",
                        "tor.pcap",
                        "dns_fragmented.pcap",
                        "http_ipv6.pcap",
                        "ssh.pcap",
                        "stun.pcap",
                        "bittorrent_utp.pcap",
                        "quic_0RTT.pcap")) {
            assertSame(shared.resolve("ndpi").resolve(name), name);
        }
    }
}
