package io.flowtap.stats;

import io.flowtap.schemas.NetifySchemas;
import io.flowtap.testing.Commands;
import io.flowtap.testing.Streams;
import io.flowtap.testing.TestData;
import io.flowtap.testing.Tshark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code interface_stats}, {@code global_stats} and {@code endpoints} of {@code flowtap backfill
 * --config} with {@code stream-stats} routed to a log channel, against a recomputation from
 * tshark's per-packet export of the same capture: every counter of every update interval, running
 * totals, and each interval's local MAC addresses with their IP addresses; every record against
 * Netify's schema; and the same records through the streaming path.
 */
class StatisticsITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> STATS = Set.of("interface_stats", "global_stats", "endpoints");

    @TempDir static Path tmp;

    private static Map<String, List<JsonNode>> sample;

    @BeforeAll
    static void backfillSample() throws Exception {
        Path config = config(tmp.resolve("config"), tmp.resolve("logs"), 1);
        Commands.Result r = Commands.backfill(Streams.SAMPLE, tmp.resolve("out"), config);
        assertThat(r.code()).as(r.err()).isZero();
        sample = byType(tmp.resolve("logs").resolve("stats.json"));
    }

    /** The list in a fixed order, for comparing what arrives in any order. */
    private static <T> List<T> unordered(java.util.Collection<T> items) {
        List<T> out = new ArrayList<>(items);
        out.sort(java.util.Comparator.comparing(Object::toString));
        return out;
    }

    /** A configuration with flows and stats in their own log channels. */
    private static Path config(Path dir, Path logs, int updateInterval) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("flowtap.json"), "{\"update_interval\": " + updateInterval + "}");
        Files.writeString(
                dir.resolve("netify-proc-core.json"),
                "{\"sinks\": {\"sink-log\": {\"flows\": {\"types\": [\"stream-flows\"]},"
                        + " \"stats\": {\"types\": [\"stream-stats\"]}}}}");
        Files.writeString(
                dir.resolve("netify-sink-log.json"),
                "{\"overwrite\": true, \"log_path\": \""
                        + logs
                        + "\", \"channels\": {\"flows\": {\"log_name\": \"flows\"},"
                        + " \"stats\": {\"log_name\": \"stats\"}}}");
        return dir;
    }

    /** The records of a log file by type, in file order, each checked against its schema. */
    private static Map<String, List<JsonNode>> byType(Path log) throws Exception {
        Map<String, List<JsonNode>> out = new TreeMap<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode n = MAPPER.readTree(line);
            String type = n.get("type").asText();
            assertThat(NetifySchemas.validate(NetifySchemas.forRecordType(type), n))
                    .as(line)
                    .isEmpty();
            out.computeIfAbsent(type, k -> new ArrayList<>()).add(n);
        }
        return out;
    }

    /** The counters of one interface of an {@code interface_stats} or of a {@code global_stats}. */
    private static Map<String, Long> counters(JsonNode n) {
        Map<String, Long> m = new TreeMap<>();
        for (String name : PacketCounts.NAMES) {
            m.put(name, n.get(name).asLong());
        }
        return m;
    }

    private static List<Map<String, Long>> interfaceCounters(
            List<JsonNode> records, String interfaceName) {
        List<Map<String, Long>> out = new ArrayList<>();
        for (JsonNode r : records) {
            // One interface, named as the backfill names a classic pcap's frames.
            List<String> keys = new ArrayList<>();
            r.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly(interfaceName, "type");
            out.add(counters(r.get(interfaceName)));
        }
        return out;
    }

    private static List<Map<String, Long>> runningTotals(Map<Long, Map<String, Long>> intervals) {
        List<Map<String, Long>> out = new ArrayList<>();
        Map<String, Long> total = new TreeMap<>();
        for (Map<String, Long> m : intervals.values()) {
            m.forEach(
                    (k, v) -> total.merge(k, v, k.equals("largest_bytes") ? Math::max : Long::sum));
            out.add(new TreeMap<>(total));
        }
        return out;
    }

    /**
     * Each interval's MAC addresses with the IP addresses they used, from the packets: both ends of
     * every IP packet whose address is in a reserved range.
     */
    private static List<Map<String, Set<String>>> endpoints(Path tsv, long intervalMs)
            throws Exception {
        Map<Long, Map<String, Set<String>>> out = new TreeMap<>();
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            boolean v4 = !f[2].isEmpty();
            if ((!v4 && f[4].isEmpty()) || f[13].isEmpty()) {
                continue;
            }
            long ms = new BigDecimal(f[0]).movePointRight(3).longValue();
            Map<String, Set<String>> m =
                    out.computeIfAbsent(Math.floorDiv(ms, intervalMs), k -> new TreeMap<>());
            String[][] ends = {{f[13], v4 ? f[2] : f[4]}, {f[14], v4 ? f[3] : f[5]}};
            for (String[] end : ends) {
                String ip = end[1];
                if (reserved(ip)) {
                    m.computeIfAbsent(end[0], k -> new TreeSet<>()).add(ip);
                }
            }
        }
        out.values().removeIf(Map::isEmpty);
        return new ArrayList<>(out.values());
    }

    /**
     * Netify's reserved ranges, the local networks of a LAN interface by default: 127/8, 10/8,
     * 100.64/10, 172.16/12, 192.168/16, fc00::/7, fe80::/10.
     */
    private static boolean reserved(String ip) throws Exception {
        byte[] a = java.net.InetAddress.getByName(ip).getAddress();
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (a.length == 4) {
            return b0 == 127
                    || b0 == 10
                    || (b0 == 100 && (b1 & 0xc0) == 64)
                    || (b0 == 172 && (b1 & 0xf0) == 16)
                    || (b0 == 192 && b1 == 168);
        }
        return (b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0x80);
    }

    private static List<Map<String, Set<String>>> endpoints(List<JsonNode> records) {
        List<Map<String, Set<String>>> out = new ArrayList<>();
        for (JsonNode r : records) {
            Map<String, Set<String>> m = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("type")) {
                    List<String> ips = new ArrayList<>();
                    e.getValue().forEach(ip -> ips.add(ip.asText()));
                    assertThat(ips).as("sorted, once each").isSorted().doesNotHaveDuplicates();
                    m.put(e.getKey(), new TreeSet<>(ips));
                }
            }
            out.add(m);
        }
        return out;
    }

    @Test
    void interfaceStatsEqualTsharksCountsPerUpdateInterval() throws Exception {
        Map<Long, Map<String, Long>> expected =
                PacketCounts.perInterval(TestData.expected("flowtap-sample.packets.tsv"), 1000);
        // 00:48:26.6 to 00:48:30.2 (capinfos): five intervals of 1 s hold frames.
        assertThat(expected).hasSize(5);
        assertThat(unordered(interfaceCounters(sample.get("interface_stats"), "pcap")))
                .isEqualTo(unordered(expected.values()));
        for (JsonNode r : sample.get("interface_stats")) {
            JsonNode pcap = r.get("pcap");
            for (String none :
                    List.of(
                            "capture_dropped",
                            "capture_filtered",
                            "queue_dropped",
                            "flow_dropped",
                            "mpls",
                            "pppoe")) {
                assertThat(pcap.get(none).asLong()).as(none).isZero();
            }
        }
    }

    @Test
    void globalStatsAreRunningTotals() throws Exception {
        Map<Long, Map<String, Long>> intervals =
                PacketCounts.perInterval(TestData.expected("flowtap-sample.packets.tsv"), 1000);
        List<Map<String, Long>> actual = new ArrayList<>();
        sample.get("global_stats").forEach(n -> actual.add(counters(n)));
        actual.sort(java.util.Comparator.comparing(m -> m.get("raw")));
        assertThat(actual).isEqualTo(runningTotals(intervals));
        // The last one is the whole capture.
        assertThat(actual.get(actual.size() - 1))
                .isEqualTo(PacketCounts.total(TestData.expected("flowtap-sample.packets.tsv")));
    }

    @Test
    void endpointsAreEachIntervalsLocalMacsWithTheirAddresses() throws Exception {
        List<Map<String, Set<String>>> expected =
                endpoints(TestData.expected("flowtap-sample.packets.tsv"), 1000);
        assertThat(expected).isNotEmpty();
        assertThat(unordered(endpoints(sample.get("endpoints")))).isEqualTo(unordered(expected));
    }

    @Test
    void flowRecordsStayInTheirChannelAndStatsRecordsInTheirs() throws Exception {
        assertThat(sample.keySet())
                .containsExactlyInAnyOrder(
                        "flow_stats", "interface_stats", "global_stats", "endpoints");
        Map<String, List<JsonNode>> flows = byType(tmp.resolve("logs").resolve("flows.json"));
        assertThat(flows.keySet()).doesNotContainAnyElementsOf(STATS);
    }

    /** The same configuration through the agent, Kafka and the stream job. */
    @Test
    void theStreamJobWritesTheSameStatistics() throws Exception {
        Path logs = tmp.resolve("stream-logs");
        Path config = config(tmp.resolve("stream-config"), logs, 1);
        Commands.Result r =
                Commands.run(
                        "stream",
                        "--embedded-kafka",
                        "--replay",
                        Streams.SAMPLE.toString(),
                        "--config",
                        config.toString(),
                        "--parallelism",
                        "2",
                        "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, List<JsonNode>> streamed = byType(logs.resolve("stats.json"));
        for (String type : STATS) {
            assertThat(unordered(streamed.get(type)))
                    .as(type)
                    .isEqualTo(unordered(sample.get(type)));
        }
    }

    /** Captures Flowtap was not built with, at Netify's default update interval of 15 s. */
    @ParameterizedTest
    @ValueSource(strings = {"iphone.pcap", "tor.pcap", "http_ipv6.pcap", "dns_fragmented.pcap"})
    void unseenCapturesGiveTsharksCountsAndEndpoints(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path[] exported = Tshark.exportSharedCapture(name, dir);
        Path config = config(dir.resolve("config"), dir.resolve("logs"), 15);
        Commands.Result r = Commands.backfill(exported[0], dir.resolve("out"), config);
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, List<JsonNode>> records = byType(dir.resolve("logs").resolve("stats.json"));
        Map<Long, Map<String, Long>> expected = PacketCounts.perInterval(exported[1], 15_000);
        assertThat(unordered(interfaceCounters(records.get("interface_stats"), "pcap")))
                .as(name)
                .isEqualTo(unordered(expected.values()));
        List<Map<String, Long>> global = new ArrayList<>();
        records.get("global_stats").forEach(n -> global.add(counters(n)));
        global.sort(java.util.Comparator.comparing(m -> m.get("raw")));
        assertThat(global).as(name).isEqualTo(runningTotals(expected));
        assertThat(unordered(endpoints(records.getOrDefault("endpoints", List.of()))))
                .as(name)
                .isEqualTo(unordered(endpoints(exported[1], 15_000)));
    }
}
