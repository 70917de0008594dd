package io.flowtap.job;

import io.flowtap.connectors.log.NetifyLogSink;
import io.flowtap.connectors.parquet.HivePartitionAssigner;
import io.flowtap.connectors.parquet.ParquetAvroWriters;
import io.flowtap.connectors.pcap.PcapSource;
import io.flowtap.schema.FlowRow;
import io.flowtap.testing.Conversations;
import io.flowtap.testing.Dissections;
import io.flowtap.testing.Parquet;
import io.flowtap.testing.TelemetryOutput;
import io.flowtap.testing.TestData;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill job on a MiniCluster at parallelism 2 over the project's recorded sample capture,
 * checked against tshark's reading of the same capture (testdata/expected), the Netify schemas, and
 * DuckDB's reading of the Parquet output.
 */
class BackfillJobITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path out;
    private static TelemetryOutput telemetry;

    @BeforeAll
    static void runBackfill() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        // Proves that nothing on the wire falls back to Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);

        PcapSource source =
                PcapSource.builder()
                        .addPaths(List.of(TestData.pcap("flowtap-sample.pcap")))
                        .setAgentId("it")
                        .build();
        FileSink<FlowRow> parquet =
                FileSink.forBulkFormat(
                                new org.apache.flink.core.fs.Path(
                                        out.resolve("parquet/flows").toUri()),
                                ParquetAvroWriters.forSpecificRecord(FlowRow.class))
                        .withBucketAssigner(
                                new HivePartitionAssigner<FlowRow>(
                                        r -> r.getPurgedAt().toEpochMilli()))
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(
                                OutputFileConfig.builder()
                                        .withPartPrefix("flows")
                                        .withPartSuffix(".parquet")
                                        .build())
                        .build();
        BackfillJob.builder()
                .source(source)
                .telemetrySink(
                        "flows",
                        NetifyLogSink.builder()
                                .setLogPath(out.resolve("log").toString())
                                .setLogName("flows-")
                                .setOverwrite(true)
                                .build())
                .flowRowSink(parquet)
                .build()
                .execute(env);
        telemetry = TelemetryOutput.read(out.resolve("log"));
    }

    @Test
    void everyRecordValidatesAgainstItsSchema() {
        telemetry.assertAllValid();
        assertThat(out.resolve("log/flows.json")).exists();
    }

    @Test
    void conversationsAndTotalsEqualTsharks() throws Exception {
        Map<Conversations.Key, Conversations.Counts> expected =
                Conversations.expected(TestData.expected("flowtap-sample.conversations.tsv"));
        Map<Conversations.Key, Conversations.Counts> reported = Conversations.reported(telemetry);
        assertThat(expected).hasSizeGreaterThan(20);
        // Same conversations, and per conversation the same packets and bytes in each direction.
        assertThat(reported).isEqualTo(expected);
    }

    @Test
    void dpiAgreesWithSuricata() throws Exception {
        List<Dissections.Check> checks =
                Dissections.compare(TestData.expected("flowtap-sample.suricata.tsv"), telemetry);
        assertThat(checks).hasSizeGreaterThan(40);
        assertThat(checks)
                .extracting(Dissections.Check::field)
                .contains("tls.sni", "tls.ja4", "http.hostname", "dns.query", "ssh.client");
        assertThat(checks)
                .allSatisfy(c -> assertThat(c.actual()).as(c.toString()).isEqualTo(c.expected()));
    }

    @Test
    void dnsHintsNameFlowsToAnsweredAddresses() throws Exception {
        // testdata/scripts/dns-hints.py: tshark's DNS answers, and the rule written there.
        Map<String, String> expected = new HashMap<>();
        List<String> lines = Files.readAllLines(TestData.expected("flowtap-sample.dns-hints.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t");
            expected.put(String.join(" ", c[0], c[1], c[2], c[3], c[4]), c[5]);
        }
        assertThat(expected).hasSizeGreaterThan(10);
        Map<String, JsonNode> bodies = Dissections.finalBodies(telemetry);
        assertThat(bodies).containsKeys(expected.keySet().toArray(new String[0]));
        for (Map.Entry<String, JsonNode> b : bodies.entrySet()) {
            assertThat(b.getValue().get("dns_host_name").asText())
                    .as(b.getKey())
                    .isEqualTo(expected.getOrDefault(b.getKey(), ""));
        }
    }

    @Test
    void everyFlowHasOneFlowRecordAndOnePurge() {
        List<JsonNode> flows = telemetry.ofType("flow");
        List<JsonNode> purges = telemetry.ofType("flow_purge");
        assertThat(flows).hasSameSizeAs(purges);
        assertThat(telemetry.ofType("flow_stats")).isNotEmpty();
        // Every flow of this capture has been quiet for more than its TTL at the end: expired,
        // or closed for TCP flows that ended with FIN or RST.
        assertThat(purges)
                .allSatisfy(p -> assertThat(p.get("reason").asText()).isIn("expired", "closed"));
        assertThat(purges)
                .anySatisfy(p -> assertThat(p.get("reason").asText()).isEqualTo("closed"));
    }

    @Test
    void vlanAndIpv6FlowsAreThere() {
        assertThat(telemetry.ofType("flow"))
                .extracting(r -> r.get("flow").get("vlan_id").asInt())
                .contains(0, 100, 300);
        assertThat(telemetry.ofType("flow"))
                .extracting(r -> r.get("flow").get("ip_version").asInt())
                .contains(4, 6);
        // Client LAN addresses are local; the servers' public addresses are remote.
        assertThat(telemetry.ofType("flow"))
                .filteredOn(r -> r.get("flow").get("other_ip").asText().equals("203.0.113.10"))
                .allSatisfy(
                        r -> {
                            assertThat(r.get("flow").get("other_type").asText())
                                    .isEqualTo("remote");
                            assertThat(r.get("flow").get("local_mac").asText())
                                    .isNotEqualTo("00:00:00:00:00:00");
                        });
    }

    @Test
    void parquetRowsMatchThePurgeRecords() throws Exception {
        Path dataset = out.resolve("parquet/flows");
        List<Map<String, Object>> agg =
                Parquet.query(
                        dataset,
                        "SELECT count(*) AS n, sum(total_bytes) AS bytes, "
                                + "sum(total_packets) AS packets, count(DISTINCT dt) AS dts "
                                + "FROM DATASET");
        List<JsonNode> purges = telemetry.ofType("flow_purge");
        long bytes =
                purges.stream().mapToLong(p -> p.get("flow").get("total_bytes").asLong()).sum();
        long packets =
                purges.stream().mapToLong(p -> p.get("flow").get("total_packets").asLong()).sum();
        assertThat(((Number) agg.get(0).get("n")).longValue()).isEqualTo(purges.size());
        assertThat(new BigDecimal(agg.get(0).get("bytes").toString()).longValue()).isEqualTo(bytes);
        assertThat(new BigDecimal(agg.get(0).get("packets").toString()).longValue())
                .isEqualTo(packets);
        assertThat(((Number) agg.get(0).get("dts")).longValue()).isEqualTo(1);

        // Row by row: the digest's totals in Parquet equal those of its purge records.
        Map<String, Long> jsonBytes = new HashMap<>();
        for (JsonNode p : purges) {
            jsonBytes.merge(
                    p.get("flow").get("digest").asText(),
                    p.get("flow").get("total_bytes").asLong(),
                    Long::sum);
        }
        Map<String, Long> parquetBytes = new HashMap<>();
        for (Map<String, Object> r :
                Parquet.query(
                        dataset,
                        "SELECT digest, sum(total_bytes) AS b FROM DATASET GROUP BY digest")) {
            parquetBytes.put(
                    (String) r.get("digest"), new BigDecimal(r.get("b").toString()).longValue());
        }
        assertThat(parquetBytes).isEqualTo(jsonBytes);
    }

    @Test
    void parquetRowsCarryTheDpiFieldsSuricataSees() throws Exception {
        // Suricata's TLS SNI and JA4, HTTP user agents and URLs of the sample, as sets; the same
        // sets must come out of the flows dataset.
        Map<String, Set<String>> suricata = new HashMap<>();
        List<String> lines = Files.readAllLines(TestData.expected("flowtap-sample.suricata.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            suricata.computeIfAbsent(c[5], k -> new TreeSet<>()).add(c[6]);
        }
        Map<String, String> columns =
                Map.of(
                        "tls.sni", "ssl_client_sni",
                        "tls.ja4", "ssl_client_ja4",
                        "http.user_agent", "http_user_agent",
                        "http.url", "http_url");
        for (Map.Entry<String, String> c : columns.entrySet()) {
            Set<String> parquet = new TreeSet<>();
            for (Map<String, Object> r :
                    Parquet.query(
                            out.resolve("parquet/flows"),
                            "SELECT DISTINCT "
                                    + c.getValue()
                                    + " AS v FROM DATASET WHERE "
                                    + c.getValue()
                                    + " IS NOT NULL")) {
                parquet.add(r.get("v").toString());
            }
            assertThat(parquet).as(c.getValue()).isEqualTo(suricata.get(c.getKey()));
        }
    }
}
