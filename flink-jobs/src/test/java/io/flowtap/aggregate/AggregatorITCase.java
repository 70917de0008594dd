package io.flowtap.aggregate;

import io.flowtap.schemas.NetifySchemas;
import io.flowtap.testing.Commands;
import io.flowtap.testing.Streams;
import io.flowtap.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aggregator payloads of one {@code flowtap backfill --config} of the sample (update interval 1 s,
 * log intervals of 2 s) against a recomputation from tshark's per-packet export of the same capture
 * (testdata/expected/flowtap-sample.packets.tsv): every interval's totals, Internet-only traffic
 * and its direction, totals per other address, flow counts; plus nested against flat, privacy mode,
 * batched rows and criteria, and every payload against its schema.
 */
class AggregatorITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long INTERVAL_MS = 2000;

    @TempDir static Path tmp;

    private static final Map<String, List<JsonNode>> payloads = new HashMap<>();
    private static CapturePackets capture;

    private static final Map<String, String> INSTANCES =
            Map.of(
                    "t1", "\"aggregator\": 1, \"nested\": false, \"privacy_mode\": false",
                    "t1p", "\"aggregator\": 1, \"nested\": false, \"privacy_mode\": true",
                    "t2", "\"aggregator\": 2, \"nested\": false, \"privacy_mode\": false",
                    "t2n", "\"aggregator\": 2, \"nested\": true, \"privacy_mode\": false",
                    "t3", "\"aggregator\": 3, \"nested\": false, \"privacy_mode\": false",
                    "t3n", "\"aggregator\": 3, \"nested\": true, \"privacy_mode\": false",
                    "t4", "\"aggregator\": 4, \"nested\": false, \"privacy_mode\": false",
                    "t4b",
                            "\"aggregator\": 4, \"nested\": false, \"privacy_mode\": false,"
                                    + " \"batched_rows\": 2",
                    "t4c",
                            "\"aggregator\": 4, \"nested\": false, \"privacy_mode\": false,"
                                    + " \"criteria\": [\"other_port == 443;\","
                                    + " \"ip_protocol == 17 && other_port == 53;\"]");

    @BeforeAll
    static void backfill() throws Exception {
        capture = CapturePackets.read(TestData.expected("flowtap-sample.packets.tsv"));
        Path config = Files.createDirectories(tmp.resolve("config"));
        Path logs = tmp.resolve("logs");
        Files.writeString(config.resolve("flowtap.json"), "{\"update_interval\": 1}");
        Files.writeString(
                config.resolve("netify-proc-core.json"),
                "{\"sinks\": {\"sink-log\": {\"flows\": {\"types\": [\"stream-flows\"]}}}}");
        StringBuilder channels = new StringBuilder("\"flows\": {\"log_name\": \"flows\"}");
        for (Map.Entry<String, String> e : INSTANCES.entrySet()) {
            String name = e.getKey();
            channels.append(", \"")
                    .append(name)
                    .append("\": {\"log_name\": \"")
                    .append(name)
                    .append("\"}");
            String body =
                    e.getValue().contains("batched_rows")
                            ? e.getValue()
                            : e.getValue() + ", \"batched_rows\": 0";
            Files.writeString(
                    config.resolve("netify-proc-aggregator-" + name + ".json"),
                    "{"
                            + body
                            + ", \"log_interval\": 2, \"format\": \"json\", \"compressor\":"
                            + " \"none\", \"sinks\": {\"sink-log\": {\""
                            + name
                            + "\": {}}}}");
        }
        Files.writeString(
                config.resolve("netify-sink-log.json"),
                "{\"overwrite\": true, \"log_path\": \""
                        + logs
                        + "\", \"channels\": {"
                        + channels
                        + "}}");
        Commands.Result r = Commands.backfill(Streams.SAMPLE, tmp.resolve("out"), config);
        assertThat(r.code()).as(r.err()).isZero();
        for (String name : INSTANCES.keySet()) {
            List<JsonNode> list = new ArrayList<>();
            for (String line : Files.readAllLines(logs.resolve(name + ".json"))) {
                list.add(MAPPER.readTree(line));
            }
            payloads.put(name, list);
        }
    }

    private static long intervalOf(long ms) {
        return Math.floorDiv(ms, INTERVAL_MS) * INTERVAL_MS / 1000;
    }

    /** Bytes and packets per interval start (s) of the packets {@code p} accepts. */
    private static Map<Long, long[]> recompute(
            java.util.function.Predicate<CapturePackets.Packet> p) {
        Map<Long, long[]> out = new TreeMap<>();
        for (CapturePackets.Packet k : capture.packets()) {
            if (p.test(k)) {
                long[] t = out.computeIfAbsent(intervalOf(k.ms()), x -> new long[2]);
                t[0] += k.length();
                t[1]++;
            }
        }
        return out;
    }

    /** Sums of two fields over every row of an instance, per interval start. */
    private static Map<Long, long[]> totals(
            String instance, String bytesA, String bytesB, String packetsA, String packetsB) {
        Map<Long, long[]> out = new TreeMap<>();
        for (JsonNode p : payloads.get(instance)) {
            long[] t = out.computeIfAbsent(p.get("log_time_start").asLong(), x -> new long[2]);
            for (JsonNode row : p.get("stats")) {
                t[0] += row.path(bytesA).asLong() + row.path(bytesB).asLong();
                t[1] += row.path(packetsA).asLong() + row.path(packetsB).asLong();
            }
        }
        return out;
    }

    private static String text(Map<Long, long[]> m) {
        StringBuilder b = new StringBuilder();
        m.forEach(
                (k, v) ->
                        b.append(k).append('=').append(v[0]).append('/').append(v[1]).append(' '));
        return b.toString();
    }

    /** The Parquet dataset of each type holds the payloads' rows: DuckDB sums them the same. */
    @Test
    void parquetDatasetsHoldTheRowsOfEachType() throws Exception {
        Path parquet = tmp.resolve("out").resolve("parquet");
        for (String type : List.of("2", "3", "4")) {
            List<Map<String, Object>> rows =
                    io.flowtap.testing.Parquet.query(
                            parquet.resolve("aggregate_type" + type),
                            "SELECT epoch(interval_start)::BIGINT AS t, sum(coalesce(upload, 0) +"
                                + " coalesce(download, 0) + coalesce(local_bytes, 0) +"
                                + " coalesce(other_bytes, 0)) AS b, sum(coalesce(packets, 0) +"
                                + " coalesce(local_packets, 0) + coalesce(other_packets, 0)) AS p"
                                + " FROM DATASET WHERE instance = 'aggregator-t"
                                    + type
                                    + "' GROUP BY ALL ORDER BY t");
            Map<Long, long[]> got = new TreeMap<>();
            for (Map<String, Object> r : rows) {
                got.put(
                        ((Number) r.get("t")).longValue(),
                        new long[] {
                            ((Number) r.get("b")).longValue(), ((Number) r.get("p")).longValue()
                        });
            }
            assertThat(text(got)).as("type " + type).isEqualTo(text(recompute(k -> true)));
        }
    }

    @Test
    void intervalsAreAlignedAndEndOneIntervalAfterTheyStart() {
        for (List<JsonNode> list : payloads.values()) {
            assertThat(list).isNotEmpty();
            for (JsonNode p : list) {
                long start = p.get("log_time_start").asLong();
                assertThat(start % 2).isZero();
                assertThat(p.get("log_time_end").asLong()).isEqualTo(start + 2);
            }
        }
        // The capture spans more than one interval.
        assertThat(recompute(k -> true)).hasSizeGreaterThan(1);
    }

    @Test
    void everyPayloadValidatesAgainstItsSchema() {
        payloads.forEach(
                (name, list) -> {
                    String schema = "flowtap-aggregate-" + name.charAt(1) + ".json";
                    for (JsonNode p : list) {
                        assertThat(NetifySchemas.validate(schema, p)).as(name + " " + p).isEmpty();
                    }
                });
    }

    @Test
    void typesTwoThreeAndFourCarryEveryPacketOfEachInterval() {
        String all = text(recompute(k -> true));
        assertThat(
                        text(
                                totals(
                                        "t3",
                                        "local_bytes",
                                        "other_bytes",
                                        "local_packets",
                                        "other_packets")))
                .isEqualTo(all);
        assertThat(text(totals("t4", "upload", "download", "packets", "none"))).isEqualTo(all);
        assertThat(text(totals("t2", "local_bytes", "other_bytes", "packets", "none")))
                .isEqualTo(all);
    }

    @Test
    void typeOneCarriesInternetTrafficByDirection() {
        Map<String, String> localEnds = capture.localEnds();
        Map<Long, long[]> up =
                recompute(
                        k ->
                                CapturePackets.toInternet(k)
                                        && CapturePackets.fromLocal(k, localEnds));
        Map<Long, long[]> down =
                recompute(
                        k ->
                                CapturePackets.toInternet(k)
                                        && !CapturePackets.fromLocal(k, localEnds));
        Map<Long, long[]> upload = totals("t1", "upload", "none", "none", "none");
        Map<Long, long[]> download = totals("t1", "download", "none", "none", "none");
        Map<Long, long[]> packets = totals("t1", "none", "none", "packets", "none");
        assertThat(upload.keySet()).isEqualTo(recompute(CapturePackets::toInternet).keySet());
        for (Map.Entry<Long, long[]> e : upload.entrySet()) {
            long t = e.getKey();
            long[] u = up.getOrDefault(t, new long[2]);
            long[] d = down.getOrDefault(t, new long[2]);
            assertThat(e.getValue()[0]).as("upload at " + t).isEqualTo(u[0]);
            assertThat(download.get(t)[0]).as("download at " + t).isEqualTo(d[0]);
            assertThat(packets.get(t)[1]).as("packets at " + t).isEqualTo(u[1] + d[1]);
        }
    }

    @Test
    void typeFourTotalsPerInternetAddress() {
        Map<String, String> localEnds = capture.localEnds();
        Map<String, long[]> expected = new TreeMap<>();
        for (CapturePackets.Packet k : capture.packets()) {
            if (!CapturePackets.toInternet(k)) {
                continue;
            }
            String other = CapturePackets.fromLocal(k, localEnds) ? k.dst() : k.src();
            long[] t = expected.computeIfAbsent(intervalOf(k.ms()) + " " + other, x -> new long[2]);
            t[0] += k.length();
            t[1]++;
        }
        Map<String, long[]> actual = new TreeMap<>();
        for (JsonNode p : payloads.get("t4")) {
            for (JsonNode row : p.get("stats")) {
                String ip = row.get("other_ip").asText();
                if (CapturePackets.internet(ip)) {
                    long[] t =
                            actual.computeIfAbsent(
                                    p.get("log_time_start").asLong() + " " + ip, x -> new long[2]);
                    t[0] += row.get("upload").asLong() + row.get("download").asLong();
                    t[1] += row.get("packets").asLong();
                }
            }
        }
        assertThat(render(actual)).isEqualTo(render(expected));
    }

    private static String render(Map<String, long[]> m) {
        StringBuilder b = new StringBuilder();
        m.forEach(
                (k, v) ->
                        b.append(k).append('=').append(v[0]).append('/').append(v[1]).append('\n'));
        return b.toString();
    }

    @Test
    void flowCountsAreTheConversationsOfEachInterval() {
        Map<Long, Set<String>> conversations = new TreeMap<>();
        for (CapturePackets.Packet k : capture.packets()) {
            conversations
                    .computeIfAbsent(intervalOf(k.ms()), x -> new HashSet<>())
                    .add(k.conversation());
        }
        Map<Long, Integer> flowCounts = new TreeMap<>();
        Map<Long, Integer> typeThreeRows = new TreeMap<>();
        for (JsonNode p : payloads.get("t2")) {
            for (JsonNode row : p.get("stats")) {
                flowCounts.merge(
                        p.get("log_time_start").asLong(),
                        row.get("flow_count").asInt(),
                        Integer::sum);
            }
        }
        for (JsonNode p : payloads.get("t3")) {
            typeThreeRows.merge(
                    p.get("log_time_start").asLong(), p.get("stats").size(), Integer::sum);
        }
        Map<Long, Integer> expected = new TreeMap<>();
        conversations.forEach((k, v) -> expected.put(k, v.size()));
        assertThat(flowCounts).isEqualTo(expected);
        assertThat(typeThreeRows).isEqualTo(expected);
    }

    /**
     * A nested payload holds the flat rows keyed by their path; Type 2 rows that differ only in
     * ip_protocol (a leaf field in Netify's layout) share a leaf, their metrics summed.
     */
    @Test
    void nestedPayloadsHoldTheSameRowsAsFlatOnes() {
        List<String> path2 =
                List.of("local_mac", "local_ip", "other_ip", "application_id", "protocol_id");
        assertThat(
                        leaves(
                                "t2n",
                                path2,
                                List.of("local_bytes", "other_bytes", "packets", "flow_count")))
                .isEqualTo(
                        mergedRows(
                                "t2",
                                path2,
                                List.of("local_bytes", "other_bytes", "packets", "flow_count")));
        assertThat(flattened("t3n", List.of("digest"))).isEqualTo(rows("t3"));
    }

    private static Map<String, Long> mergedRows(
            String instance, List<String> path, List<String> metrics) {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode p : payloads.get(instance)) {
            for (JsonNode row : p.get("stats")) {
                StringBuilder key = new StringBuilder(p.get("log_time_start").asText());
                for (String d : path) {
                    key.append(' ').append(row.get(d).asText());
                }
                for (String m : metrics) {
                    out.merge(key + " " + m, row.get(m).asLong(), Long::sum);
                }
            }
        }
        return out;
    }

    private static Map<String, Long> leaves(
            String instance, List<String> path, List<String> metrics) {
        Map<String, Long> out = new TreeMap<>();
        for (String row : flattened(instance, path)) {
            JsonNode r;
            try {
                r = MAPPER.readTree(row);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            StringBuilder key = new StringBuilder(r.get("log_time_start").asText());
            for (String d : path) {
                key.append(' ').append(r.get(d).asText());
            }
            for (String m : metrics) {
                out.merge(key + " " + m, r.get(m).asLong(), Long::sum);
            }
        }
        return out;
    }

    /** Flat rows as sorted strings, with their interval. */
    private static List<String> rows(String instance) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : payloads.get(instance)) {
            for (JsonNode row : p.get("stats")) {
                ObjectNode r = ((ObjectNode) row).deepCopy();
                r.put("log_time_start", p.get("log_time_start").asLong());
                out.add(sorted(r).toString());
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> flattened(String instance, List<String> path) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : payloads.get(instance)) {
            walk(
                    p.get("stats"),
                    path,
                    0,
                    MAPPER.createObjectNode(),
                    p.get("log_time_start").asLong(),
                    out);
        }
        out.sort(null);
        return out;
    }

    private static void walk(
            JsonNode node,
            List<String> path,
            int depth,
            ObjectNode keys,
            long start,
            List<String> out) {
        if (depth == path.size()) {
            ObjectNode r = keys.deepCopy();
            r.setAll((ObjectNode) node);
            r.put("log_time_start", start);
            out.add(sorted(r).toString());
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            ObjectNode k = keys.deepCopy();
            String name = path.get(depth);
            boolean number = name.equals("protocol_id");
            if (number) {
                k.put(name, Long.parseLong(e.getKey()));
            } else {
                k.put(name, e.getKey());
            }
            walk(e.getValue(), path, depth + 1, k, start, out);
        }
    }

    private static JsonNode sorted(ObjectNode n) {
        return MAPPER.valueToTree(new TreeMap<>(MAPPER.convertValue(n, Map.class)));
    }

    @Test
    void privacyModeLeavesOutLocalAddressesButKeepsTheTotals() {
        for (JsonNode p : payloads.get("t1p")) {
            for (JsonNode row : p.get("stats")) {
                assertThat(row.has("local_ip") || row.has("local_mac")).isFalse();
            }
        }
        assertThat(text(totals("t1p", "upload", "download", "packets", "none")))
                .isEqualTo(text(totals("t1", "upload", "download", "packets", "none")));
    }

    @Test
    void batchedRowsSplitAnIntervalIntoPayloadsOfAtMostThatManyRows() {
        for (JsonNode p : payloads.get("t4b")) {
            assertThat(p.get("stats").size()).isBetween(1, 2);
        }
        assertThat(payloads.get("t4b").size()).isGreaterThan(payloads.get("t4").size());
        assertThat(rows("t4b")).isEqualTo(rows("t4"));
    }

    @Test
    void criteriaKeepTheMatchingRowsOnly() {
        List<String> expected = new ArrayList<>();
        for (JsonNode p : payloads.get("t4")) {
            for (JsonNode row : p.get("stats")) {
                int port = row.get("other_port").asInt();
                if (port == 443 || (port == 53 && row.get("ip_protocol").asInt() == 17)) {
                    ObjectNode r = ((ObjectNode) row).deepCopy();
                    r.put("log_time_start", p.get("log_time_start").asLong());
                    expected.add(sorted(r).toString());
                }
            }
        }
        expected.sort(null);
        assertThat(expected).isNotEmpty();
        assertThat(rows("t4c")).isEqualTo(expected);
    }

    /**
     * The same configuration through the streaming path (agent, Kafka, stream job) gives the same
     * payloads: the windows wait for the watermark, and no usage arrives after its interval fired.
     */
    @Test
    void theStreamJobWritesTheSamePayloads() throws Exception {
        Path config = tmp.resolve("config");
        Path streamLogs = tmp.resolve("stream-logs");
        Path streamConfig =
                io.flowtap.testing.ConfigCopies.withLogs(
                        config, tmp.resolve("stream-config"), tmp.resolve("logs"), streamLogs);
        Commands.Result r =
                Commands.run(
                        "stream",
                        "--embedded-kafka",
                        "--replay",
                        Streams.SAMPLE.toString(),
                        "--config",
                        streamConfig.toString(),
                        "--parallelism",
                        "2",
                        "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        for (String name : INSTANCES.keySet()) {
            List<String> streamed =
                    new ArrayList<>(Files.readAllLines(streamLogs.resolve(name + ".json")));
            List<String> backfilled = new ArrayList<>();
            for (JsonNode p : payloads.get(name)) {
                backfilled.add(p.toString());
            }
            streamed.sort(null);
            backfilled.sort(null);
            assertThat(streamed).as(name).isEqualTo(backfilled);
        }
    }
}
