package io.flowtap.cli;

import io.flowtap.rpc.InProcessRpcSystem;
import io.flowtap.testing.Conversations;
import io.flowtap.testing.TelemetryOutput;
import io.flowtap.testing.TestData;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flowtap backfill} as a user runs it: exit codes, messages, outputs. */
class BackfillCommandTest {
    @TempDir Path tmp;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(String... args) {
        return Flowtap.run(
                Arrays.asList(args),
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    /** {@code flowtap backfill} of the sample with a configuration directory. */
    private int backfillSample(Path config) {
        return run(
                "backfill",
                "--pcap",
                TestData.pcap("flowtap-sample.pcap").toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--config",
                config.toString(),
                "--quiet");
    }

    /** The bundled example configuration in {@code config}, its log files going to {@code logs}. */
    private void exampleConfig(Path config, Path logs) throws IOException {
        assertThat(run("config", "example", "--write", config.toString())).isZero();
        Files.writeString(
                config.resolve("netify-sink-log.json"),
                Files.readString(config.resolve("netify-sink-log.json"))
                        .replace("\"out/log\"", "\"" + logs + "\""));
    }

    /**
     * Flink's first checkpoint falls at a random time between the minimum pause and one interval
     * after the start: a backfill asks for a minimum pause of a whole interval, so that a short run
     * never snapshots its whole flow table halfway.
     */
    @Test
    void theFirstCheckpointComesOneIntervalAfterTheStart() {
        Configuration conf = BackfillCommand.clusterConfig("run", false);
        BackfillCommand.checkpointing(conf, tmp, 60_000, "hashmap");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(conf.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(tmp.toUri().toString());
    }

    /** One JVM, one task manager: a backfill's cluster runs without Pekko. */
    @Test
    void theEmbeddedClusterTalksWithinTheJvm() throws Exception {
        Configuration conf = BackfillCommand.clusterConfig("run", false);
        BackfillCommand.backfillCluster(conf, 1);
        try (RpcSystem system = RpcSystem.load(conf)) {
            assertThat(system).isInstanceOf(InProcessRpcSystem.class);
        }
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sampleCaptureEndToEnd() throws Exception {
        Path out = tmp.resolve("out");
        int code =
                run(
                        "backfill",
                        "--pcap",
                        TestData.pcap("flowtap-sample.pcap").toString(),
                        "--out",
                        out.toString(),
                        "--parallelism",
                        "2",
                        "--quiet");
        assertThat(code).as(err()).isZero();
        assertThat(err()).contains("2,154 packets").contains("1 file(s)");
        assertThat(out.resolve("log/flowtap-flows.json")).exists();
        try (var files = Files.walk(out.resolve("parquet/flows"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")))
                    .isNotEmpty()
                    .allSatisfy(
                            p ->
                                    assertThat(p.toString())
                                            .matches(
                                                    ".*/dt=\\d{4}-\\d\\d-\\d\\d/hour=\\d\\d/flows-.*\\.parquet"));
        }
    }

    @Test
    void corruptTailIsReportedAfterEverythingBeforeItWasProcessed() throws Exception {
        Path sample = TestData.pcap("flowtap-sample.pcap");
        Path corrupt = tmp.resolve("corrupt.pcap");
        byte[] good = Files.readAllBytes(sample);
        // A record header that claims a 2 GiB frame, after the last good record.
        byte[] garbage = {
            1, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 60, 0, 0, 0
        };
        byte[] bytes = Arrays.copyOf(good, good.length + garbage.length);
        System.arraycopy(garbage, 0, bytes, good.length, garbage.length);
        Files.write(corrupt, bytes);
        Path out = tmp.resolve("out");

        int code =
                run("backfill", "--pcap", corrupt.toString(), "--out", out.toString(), "--quiet");

        assertThat(code).isEqualTo(1);
        assertThat(err())
                .contains(corrupt.toAbsolutePath().toString())
                .contains("corrupt record header")
                .contains("at byte offset " + good.length);
        // Everything before the corruption went all the way through.
        TelemetryOutput t = TelemetryOutput.read(out.resolve("log"));
        assertThat(Conversations.reported(t))
                .isEqualTo(
                        Conversations.expected(
                                TestData.expected("flowtap-sample.conversations.tsv")));
    }

    /**
     * A flow table larger than the 5 MB Flink keeps of a checkpoint in the job manager's memory: 30
     * overlapping copies of the intelligence capture (44,010 flows, most alive at once),
     * checkpointed every 100 ms. Kept in memory, the first large checkpoint failed the run.
     */
    @Test
    void checkpointsOfALargeFlowTableDoNotFailTheRun() throws Exception {
        Path big = tmp.resolve("big.pcap");
        io.flowtap.bench.CaptureMultiplier.main(
                new String[] {big.toString(), TestData.pcap("flowtap-intel.pcap") + ":30:1"});
        Path out = tmp.resolve("out");
        int code =
                run(
                        "backfill",
                        "--pcap",
                        big.toString(),
                        "--out",
                        out.toString(),
                        "--parallelism",
                        "1",
                        "--checkpoint-interval",
                        "100",
                        "--quiet");
        assertThat(code).as(err()).isZero();
        // Every packet of the 30 copies (6,708 each); flows are a few short of 30 × 1,467, as
        // flows between public addresses of different copies can meet on a port.
        assertThat(err()).contains("201,240 packets").containsPattern(" 4[34],[0-9]{3} flows");
    }

    /**
     * The flow table in RocksDB (checkpointed incrementally every 100 ms) gives the records the
     * heap gives, whose values the other tests check against tshark and nDPI.
     */
    @Test
    void aFlowTableInRocksDbGivesTheSameRecordsAsOnTheHeap() throws Exception {
        Map<String, List<String>> byBackend = new TreeMap<>();
        for (String backend : List.of("heap", "rocksdb")) {
            Path out = tmp.resolve(backend);
            int code =
                    run(
                            "backfill",
                            "--pcap",
                            TestData.pcap("flowtap-intel.pcap").toString(),
                            "--out",
                            out.toString(),
                            "--state-backend",
                            backend,
                            "--checkpoint-interval",
                            "100",
                            "--quiet");
            assertThat(code).as(err()).isZero();
            List<String> lines =
                    new ArrayList<>(
                            Files.readAllLines(out.resolve("log").resolve("flowtap-flows.json")));
            lines.sort(null);
            byBackend.put(backend, lines);
        }
        assertThat(byBackend.get("heap")).hasSizeGreaterThan(1000);
        assertThat(byBackend.get("rocksdb")).isEqualTo(byBackend.get("heap"));
        assertThat(run("backfill", "--pcap", "x", "--out", "y", "--state-backend", "disk"))
                .isEqualTo(2);
        assertThat(err()).contains("--state-backend must be heap or rocksdb, not 'disk'");
    }

    @Test
    void truncatedFileKeepsItsGoodPart() throws Exception {
        byte[] good = Files.readAllBytes(TestData.pcap("flowtap-sample.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(good, good.length - 100));
        Path out = tmp.resolve("out");
        int code = run("backfill", "--pcap", cut.toString(), "--out", out.toString(), "--quiet");
        assertThat(code).isEqualTo(1);
        assertThat(err())
                .contains("cut.pcap: truncated record data (file cut short) at byte offset");
        TelemetryOutput t = TelemetryOutput.read(out.resolve("log"));
        assertThat(t.ofType("flow_purge")).hasSizeGreaterThan(25);
    }

    @Test
    void rotatedCaptureFilesGiveTheSameFlowsAsOneFile() throws Exception {
        // tcpdump -C style rotation: the sample cut in three at record boundaries, the cuts
        // falling inside long flows (the bulk SSH and HTTP transfers).
        Path dir = tmp.resolve("rotated");
        Files.createDirectories(dir);
        List<byte[]> parts =
                splitPcap(Files.readAllBytes(TestData.pcap("flowtap-sample.pcap")), 700, 1500);
        for (int i = 0; i < parts.size(); i++) {
            Files.write(dir.resolve("capture-" + i + ".pcap"), parts.get(i));
        }
        Path out = tmp.resolve("out");
        int code =
                run(
                        "backfill",
                        "--pcap",
                        dir.toString(),
                        "--out",
                        out.toString(),
                        "--parallelism",
                        "2",
                        "--quiet");
        assertThat(code).as(err()).isZero();
        assertThat(err()).contains("3 file(s)").contains("2,154 packets");
        TelemetryOutput t = TelemetryOutput.read(out.resolve("log"));
        assertThat(Conversations.reported(t))
                .isEqualTo(
                        Conversations.expected(
                                TestData.expected("flowtap-sample.conversations.tsv")));
        // No flow was cut in two at a file boundary.
        assertThat(t.ofType("flow")).hasSize(31);
    }

    /**
     * Splits a little-endian microsecond pcap at the given record numbers, each part with the file
     * header. (Test data preparation from the pcap format's fixed layout.)
     */
    private static List<byte[]> splitPcap(byte[] pcap, int... cuts) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xa1b2c3d4);
        List<Integer> starts = new ArrayList<>();
        int off = 24;
        while (off < pcap.length) {
            starts.add(off);
            off += 16 + b.getInt(off + 8);
        }
        starts.add(pcap.length);
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : starts.size() - 1;
            byte[] part = new byte[24 + starts.get(to) - starts.get(from)];
            System.arraycopy(pcap, 0, part, 0, 24);
            System.arraycopy(pcap, starts.get(from), part, 24, part.length - 24);
            parts.add(part);
            from = to;
        }
        return parts;
    }

    @Test
    void missingFile() {
        int code =
                run(
                        "backfill",
                        "--pcap",
                        tmp.resolve("nope.pcap").toString(),
                        "--out",
                        tmp.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err()).contains("nope.pcap: no such file or directory");
    }

    @Test
    void flowsAreNamedFromAGivenApplicationCatalog() throws Exception {
        Path catalog = tmp.resolve("apps.txt");
        Files.writeString(
                catalog,
                String.join(
                        "\n",
                        "category 1 testing Testing",
                        "app 900001 flowtap.web 1 Flowtap Web",
                        "domain 900001 www.flowtap.test",
                        "app 900002 flowtap.api 1 Flowtap API",
                        "network 900002 203.0.113.11/32",
                        ""));
        Path out = tmp.resolve("out");
        int code =
                run(
                        "backfill",
                        "--pcap",
                        TestData.pcap("flowtap-sample.pcap").toString(),
                        "--out",
                        out.toString(),
                        "--applications",
                        catalog.toString(),
                        "--quiet");
        assertThat(code).as(err()).isZero();
        // SNIs as Suricata reads them (testdata/expected/flowtap-sample.suricata.tsv): www by
        // its domain; api.flowtap.test, whose name is not listed, by its address 203.0.113.11.
        Map<String, String> apps = new HashMap<>();
        for (JsonNode r : TelemetryOutput.read(out.resolve("log")).ofType("flow_dpi_complete")) {
            JsonNode f = r.get("flow");
            if (f.path("ssl").has("client_sni")) {
                apps.put(
                        f.path("ssl").get("client_sni").asText(),
                        f.get("detected_application_name").asText()
                                + " "
                                + f.get("category").get("application").asInt());
            }
        }
        // The SSH flow to 203.0.113.10 has no name of its own: the DNS answer for the address
        // (www.flowtap.test, testdata/expected/flowtap-sample.dns-hints.tsv) names it.
        JsonNode ssh =
                TelemetryOutput.read(out.resolve("log")).ofType("flow_dpi_complete").stream()
                        .map(r -> r.get("flow"))
                        .filter(f -> f.get("other_port").asInt() == 22)
                        .filter(f -> f.get("other_ip").asText().equals("203.0.113.10"))
                        .findFirst()
                        .orElseThrow();
        assertThat(ssh.get("detected_application_name").asText()).isEqualTo("900001.flowtap.web");
        assertThat(ssh.get("dhc_hit").asBoolean()).isTrue();
        assertThat(apps)
                .containsEntry("www.flowtap.test", "900001.flowtap.web 1")
                .containsEntry("api.flowtap.test", "900002.flowtap.api 1")
                .containsEntry("cdn.flowtap.test", "Unknown 0");
    }

    @Test
    void invalidApplicationCatalogNamesFileAndLine() throws IOException {
        Path catalog = tmp.resolve("apps.txt");
        Files.writeString(catalog, "category 1 testing Testing\ndomain 7 example.com\n");
        int code =
                run(
                        "backfill",
                        "--pcap",
                        TestData.pcap("flowtap-sample.pcap").toString(),
                        "--out",
                        tmp.resolve("out").toString(),
                        "--applications",
                        catalog.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err()).contains(catalog + ", line 2: application 7 is not declared above");
    }

    @Test
    void notACapture() throws IOException {
        Path text = tmp.resolve("notes.pcap");
        Files.writeString(text, "these are not packets\n");
        int code = run("backfill", "--pcap", text.toString(), "--out", tmp.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err()).contains("notes.pcap").contains("not a pcap or pcapng file");
    }

    @Test
    void invalidOptions() {
        assertThat(run("backfill", "--out", tmp.toString())).isEqualTo(2);
        assertThat(err()).contains("missing required option --pcap");
        assertThat(run("backfill", "--pcap", "x", "--out", "y", "--parallelism", "0")).isEqualTo(2);
        assertThat(err()).contains("--parallelism must be a positive integer, not '0'");
        assertThat(run("backfill", "--pcap", "x", "--out", "y", "--interface-role", "dmz"))
                .isEqualTo(2);
        assertThat(err()).contains("interface role must be 'lan' or 'wan', not 'dmz'");
        assertThat(run("backfill", "--pcap", "x", "--frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unknown option '--frobnicate'");
        assertThat(run("backfill", "--pcap", "x", "--out", "y", "--local-network", "10.0.0.0/40"))
                .isEqualTo(2);
        assertThat(err()).contains("prefix length out of range in '10.0.0.0/40'");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unknown command 'frobnicate'");
    }

    @Test
    void help() {
        assertThat(run("backfill", "--help")).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("--pcap <path>");
        assertThat(run("--help")).isZero();
        assertThat(List.of(stdout.toString(StandardCharsets.UTF_8).split("\n")))
                .anyMatch(l -> l.contains("backfill"));
    }

    /** Whether a JSON line is of a record type of {@code stream-stats}. */
    private static boolean isStreamStats(String line) {
        return java.util.stream.Stream.of(
                        "flow_stats", "interface_stats", "global_stats", "endpoints")
                .anyMatch(t -> line.contains("\"type\":\"" + t + "\""));
    }

    @Test
    void configRoutesRecordTypesToTheirLogChannels() throws Exception {
        Path config = tmp.resolve("config");
        Path logs = tmp.resolve("logs");
        exampleConfig(config, logs);
        int code = backfillSample(config);
        assertThat(code).as(err()).isZero();
        TelemetryOutput flows =
                TelemetryOutput.read(logs.resolve("FT-EXAMPLE-0001-flows.json").getParent());
        List<JsonNode> all = flows.all();
        long stats = all.stream().filter(n -> n.get("type").asText().equals("flow_stats")).count();
        List<String> statsFile = Files.readAllLines(logs.resolve("FT-EXAMPLE-0001-stats.json"));
        List<String> flowsFile = Files.readAllLines(logs.resolve("FT-EXAMPLE-0001-flows.json"));
        // The same 133 records as without a configuration, and the statistics stream-stats adds:
        // the sample touches two 15 s update intervals, each with an interface_stats, a
        // global_stats and an endpoints record.
        assertThat(all).hasSize(133 + 6);
        assertThat(statsFile).hasSize((int) stats + 6).allMatch(BackfillCommandTest::isStreamStats);
        assertThat(flowsFile)
                .hasSize(133 - (int) stats)
                .noneMatch(BackfillCommandTest::isStreamStats);
        assertThat(stats).isEqualTo(33);
        flows.assertAllValid();
    }

    @Test
    void anInvalidConfigStopsBeforeAnythingRuns() throws Exception {
        Path config = tmp.resolve("config");
        assertThat(run("config", "example", "--write", config.toString())).isZero();
        Files.writeString(config.resolve("flowtap.json"), "{\"update_interval\": \"15 s\"}");
        Path out = tmp.resolve("out");
        int code =
                run(
                        "backfill",
                        "--pcap",
                        TestData.pcap("flowtap-sample.pcap").toString(),
                        "--out",
                        out.toString(),
                        "--config",
                        config.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err())
                .contains(
                        "flowtap backfill: flowtap.json: $.update_interval: string found,"
                                + " integer expected (rule: type)")
                .contains("1 configuration error(s); nothing was run");
        assertThat(out).doesNotExist();
        assertThat(run("config", "check", config.toString())).isEqualTo(1);
    }

    @Test
    void msgpackAndGzipChannelsCarryTheSameRecords() throws Exception {
        Path config = tmp.resolve("config");
        Path logs = tmp.resolve("logs");
        exampleConfig(config, logs);
        // Every record to both channels: JSON lines gzipped, and plain MessagePack.
        Files.writeString(
                config.resolve("netify-proc-core.json"),
                """
                {"format": "json", "compressor": "gz",
                 "sinks": {"sink-log": {
                   "flows": {"types": ["stream-flows", "stream-stats"]},
                   "stats": {"types": ["stream-flows", "stream-stats"],
                             "format": "msgpack", "compressor": "none"}}}}
                """);
        int code = backfillSample(config);
        assertThat(code).as(err()).isZero();
        com.fasterxml.jackson.databind.ObjectMapper mapper =
                new com.fasterxml.jackson.databind.ObjectMapper();
        List<JsonNode> fromGzip = new ArrayList<>();
        try (var in =
                new java.util.zip.GZIPInputStream(
                        Files.newInputStream(logs.resolve("FT-EXAMPLE-0001-flows.json.gz")))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                fromGzip.add(mapper.readTree(line));
            }
        }
        List<JsonNode> fromMsgpack = new ArrayList<>();
        try (var u =
                org.msgpack.core.MessagePack.newDefaultUnpacker(
                        Files.readAllBytes(logs.resolve("FT-EXAMPLE-0001-stats.msgpack")))) {
            while (u.hasNext()) {
                fromMsgpack.add(mapper.readTree(u.unpackValue().toJson()));
            }
        }
        assertThat(fromGzip).hasSize(133 + 6);
        assertThat(fromMsgpack).containsExactlyInAnyOrderElementsOf(fromGzip);
        TelemetryOutput.of(fromGzip.stream().map(JsonNode::toString).toList()).assertAllValid();
    }

    @Test
    void configSendsFlowsToAnHttpEndpointAndStatsToALogFile() throws Exception {
        Path config = tmp.resolve("config");
        Path logs = tmp.resolve("logs");
        exampleConfig(config, logs);
        try (io.flowtap.testing.TestEndpoint endpoint =
                new io.flowtap.testing.TestEndpoint(
                        new io.flowtap.testing.TestEndpoint.Status(502))) {
            Files.writeString(
                    config.resolve("netify-sink-http.json"),
                    "{\"channels\": {\"flows\": {\"url\": \""
                            + endpoint.url("/v1/${uuid_agent}/${channel}")
                            + "\", \"headers\": {\"X-UUID\": \"${uuid_agent}\"}}}}");
            Files.writeString(
                    config.resolve("netify-proc-core.json"),
                    """
                    {"sinks": {"sink-http": {"flows": {"types": ["stream-flows"]}},
                               "sink-log": {"stats": {"types": ["stream-stats"]}}}}
                    """);
            assertThat(run("config", "check", config.toString())).as(out()).isZero();
            assertThat(out())
                    .contains(
                            "sink-http/flows: flow, flow_dpi_complete, flow_dpi_update, flow_purge")
                    .contains("warning: netify-sink-log.json: channel 'flows' receives nothing");
            int code = backfillSample(config);
            assertThat(code).as(err()).isZero();
            List<String> posted = new ArrayList<>();
            for (byte[] body : endpoint.accepted()) {
                posted.addAll(List.of(new String(body, StandardCharsets.UTF_8).split("\n")));
            }
            List<String> stats = Files.readAllLines(logs.resolve("FT-EXAMPLE-0001-stats.json"));
            // All 133 records of the sample and the 6 statistics records: flow records over HTTP
            // (after one 502), stats on disk.
            assertThat(posted.size() + stats.size()).isEqualTo(133 + 6);
            assertThat(posted).noneMatch(BackfillCommandTest::isStreamStats);
            assertThat(stats).allMatch(BackfillCommandTest::isStreamStats);
            assertThat(endpoint.agentHeaders()).containsOnly("FT-EXAMPLE-0001");
        }
    }

    @Test
    void parquetDatasetsGoWhereTheConfigSays() throws Exception {
        Path config = tmp.resolve("config");
        exampleConfig(config, tmp.resolve("logs"));
        Path lake = tmp.resolve("lake");
        Files.writeString(
                config.resolve("flowtap-sink-parquet.json"), "{\"path\": \"" + lake + "\"}");
        assertThat(run("config", "check", config.toString())).as(out()).isZero();
        assertThat(out()).contains("parquet/flows: one row per purged flow -> " + lake + "/flows");
        assertThat(backfillSample(config)).as(err()).isZero();
        // tshark -z conv finds the sample's 31 conversations: one row per purged flow.
        assertThat(
                        io.flowtap.testing.Parquet.query(
                                lake.resolve("flows"), "SELECT count(*) AS n FROM DATASET"))
                .singleElement()
                .satisfies(row -> assertThat(((Number) row.get("n")).intValue()).isEqualTo(31));
        assertThat(tmp.resolve("out").resolve("parquet")).doesNotExist();

        Files.writeString(
                config.resolve("flowtap-sink-parquet.json"),
                "{\"path\": \""
                        + tmp.resolve("lake2")
                        + "\", \"datasets\": {\"flows\":"
                        + " {\"enable\": false}}}");
        assertThat(backfillSample(config)).as(err()).isZero();
        assertThat(tmp.resolve("lake2")).doesNotExist();
        assertThat(tmp.resolve("out").resolve("parquet")).doesNotExist();
    }

    @Test
    void maxDetectionPacketsBoundsInspection() throws Exception {
        Path config = tmp.resolve("config");
        Path logs = tmp.resolve("logs");
        exampleConfig(config, logs);
        // An HTTP request is the fourth packet of its TCP flow (SYN, SYN/ACK, ACK, GET): with a
        // budget of three packets no HTTP host can be learnt; with Netify's default of 32 the
        // sample's port-80 flows all name theirs.
        for (int budget : new int[] {32, 3}) {
            Files.writeString(
                    config.resolve("flowtap.json"),
                    "{\"uuid_agent\": \"FT-EXAMPLE-0001\", \"max_detection_pkts\": "
                            + budget
                            + "}");
            assertThat(backfillSample(config)).as(err()).isZero();
            List<JsonNode> records = TelemetryOutput.read(logs).all();
            List<JsonNode> web =
                    records.stream()
                            .filter(r -> r.get("type").asText().equals("flow_dpi_complete"))
                            .filter(r -> r.path("flow").path("other_port").asInt() == 80)
                            .toList();
            assertThat(web).hasSize(6);
            assertThat(records)
                    .filteredOn(r -> r.get("type").asText().startsWith("flow_dpi"))
                    .allSatisfy(
                            r ->
                                    assertThat(r.path("flow").path("detection_packets").asInt())
                                            .isLessThanOrEqualTo(budget));
            List<String> hosts =
                    web.stream()
                            .map(r -> r.path("flow").path("host_server_name").asText())
                            .toList();
            List<Boolean> guessed =
                    web.stream()
                            .map(r -> r.path("flow").path("detection_guessed").asBoolean())
                            .toList();
            if (budget == 3) {
                assertThat(hosts).containsOnly("");
                assertThat(guessed).containsOnly(true);
            } else {
                assertThat(hosts).doesNotContain("");
                assertThat(guessed).containsOnly(false);
            }
        }
    }
}
