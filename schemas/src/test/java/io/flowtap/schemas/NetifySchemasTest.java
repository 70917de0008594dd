package io.flowtap.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NetifySchemasTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> PROSE =
            List.of("description", "examples", "externalDocs", "title", "$id");

    @Test
    void examplesFromNetifyDocumentationValidate() throws IOException {
        // The purge example of Netify's documentation, as published.
        JsonNode purge =
                MAPPER.readTree(
                        "{\"flow\":{\"detection_packets\":12,\"digest\":\"fb69e87ed3b\","
                            + "\"digest_prev\":[\"d7fddd35cc27\"],\"last_seen_at\":1772665905392,"
                            + "\"local_bytes\":0,\"local_packets\":0,\"local_rate\":387,"
                            + "\"other_bytes\":0,\"other_packets\":0,\"other_rate\":300,"
                            + "\"tcp\":{\"resets\":0,\"retrans\":0,\"seq_errors\":0},"
                            + "\"total_bytes\":13968,\"total_packets\":51},"
                            + "\"interface\":\"wlp3s0\",\"internal\":true,\"reason\":\"closed\","
                            + "\"type\":\"flow_purge\"}");
        assertThat(NetifySchemas.validate(NetifySchemas.FLOW_PURGE, purge)).isEmpty();
        assertThat(NetifySchemas.undeclaredProperties(NetifySchemas.FLOW_PURGE, purge)).isEmpty();
    }

    @Test
    void missingRequiredFieldAndBadEnumAreReported() throws IOException {
        ObjectNode purge =
                (ObjectNode)
                        MAPPER.readTree(
                                "{\"flow\":{\"digest\":\"x\"},\"interface\":\"eth0\","
                                        + "\"internal\":true,\"reason\":\"terminated\","
                                        + "\"type\":\"flow_purge\"}");
        List<String> errors = NetifySchemas.validate(NetifySchemas.FLOW_PURGE, purge);
        assertThat(errors).anyMatch(e -> e.contains("total_bytes"));
        assertThat(errors).anyMatch(e -> e.contains("reason"));
    }

    @Test
    void undeclaredPropertiesAreFound() throws IOException {
        JsonNode stats =
                MAPPER.readTree(
                        "{\"flow\":{\"digest\":\"x\",\"totl_bytes\":1,\"tcp\":{\"reset\":1}},"
                            + "\"interface\":\"eth0\",\"internal\":true,\"type\":\"flow_stats\"}");
        assertThat(NetifySchemas.undeclaredProperties(NetifySchemas.FLOW_STATS, stats))
                .containsExactlyInAnyOrder("$.flow.totl_bytes", "$.flow.tcp.reset");
    }

    /** Counters of Netify's interface-stats example (its documentation's eth0 record). */
    private static final String COUNTERS =
            "\"capture_dropped\":0,\"capture_filtered\":0,\"discarded\":12,"
                    + "\"discarded_bytes\":1012,\"ethernet\":772,\"flow_dropped\":0,"
                    + "\"fragmented\":0,\"icmp\":3,\"igmp\":2,\"ip\":760,\"ip_bytes\":261408,"
                    + "\"largest_bytes\":1514,\"mpls\":0,\"pppoe\":0,\"queue_dropped\":0,"
                    + "\"raw\":772,\"tcp\":648,\"tcp_resets\":0,\"tcp_seq_errors\":0,"
                    + "\"udp\":107,\"vlan\":0,\"wire_bytes\":279648";

    /** The interface-stats schema picks its branch by type: a oneOf with an allOf inside. */
    @Test
    void statisticsRecordsAreCheckedByTheirTypesBranch() throws IOException {
        String file = NetifySchemas.forRecordType("global_stats");
        ObjectNode perInterface =
                (ObjectNode)
                        MAPPER.readTree(
                                "{\"type\":\"interface_stats\",\"eth0\":{" + COUNTERS + "}}");
        ObjectNode global =
                (ObjectNode) MAPPER.readTree("{" + COUNTERS + ",\"type\":\"global_stats\"}");
        for (JsonNode record : List.of(perInterface, global)) {
            assertThat(NetifySchemas.validate(file, record)).as(record.toString()).isEmpty();
            assertThat(NetifySchemas.undeclaredProperties(file, record))
                    .as(record.toString())
                    .isEmpty();
        }
        global.put("tcp_reset", 1);
        assertThat(NetifySchemas.undeclaredProperties(file, global)).containsExactly("$.tcp_reset");
        ((ObjectNode) perInterface.get("eth0")).put("rawx", 1);
        assertThat(NetifySchemas.undeclaredProperties(file, perInterface))
                .containsExactly("$.eth0.rawx");
    }

    @Test
    void flowtapSchemasTakeTheirOwnExamplesAndRejectMistakes() throws IOException {
        for (String file :
                List.of("flowtap.json", "flowtap-sink-kafka.json", "flowtap-sink-parquet.json")) {
            JsonNode examples = NetifySchemas.schemaNode(file).get("examples");
            assertThat(examples).as(file).isNotEmpty();
            for (JsonNode example : examples) {
                assertThat(NetifySchemas.validate(file, example)).as(file).isEmpty();
                assertThat(NetifySchemas.undeclaredProperties(file, example)).as(file).isEmpty();
            }
        }
        JsonNode kafka =
                MAPPER.readTree(
                        "{\"bootstrap_servers\":\"localhost\",\"delivery\":\"once\","
                                + "\"channels\":{\"flows\":{\"topic\":\"a b\"}}}");
        assertThat(NetifySchemas.violations("flowtap-sink-kafka.json", kafka))
                .extracting(NetifySchemas.Violation::path)
                .containsExactlyInAnyOrder(
                        "$.bootstrap_servers", "$.delivery", "$.channels.flows.topic");
        JsonNode parquet = MAPPER.readTree("{\"path\":\"/x\",\"datasets\":{\"flow\":{}}}");
        assertThat(NetifySchemas.undeclaredProperties("flowtap-sink-parquet.json", parquet))
                .containsExactly("$.datasets.flow");
    }

    @Test
    void recordTypesMapToSchemaFiles() {
        assertThat(NetifySchemas.forRecordType("flow_dpi_complete")).isEqualTo(NetifySchemas.FLOW);
        assertThat(NetifySchemas.forRecordType("flow_stats")).isEqualTo(NetifySchemas.FLOW_STATS);
        assertThat(NetifySchemas.forRecordType("flow_purge")).isEqualTo(NetifySchemas.FLOW_PURGE);
    }

    /**
     * The bundled schemas must keep every structural rule of Netify's published schemas. Runs where
     * the reference files are available beside the repository.
     */
    @Test
    void bundledSchemasMatchThePublishedOnesStructurally() throws IOException {
        Path reference = Paths.get("..", "..", "shared", "reference", "schemas");
        assumeTrue(Files.isDirectory(reference), "reference schemas not present");
        try (Stream<Path> files = Files.list(reference)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                JsonNode published = MAPPER.readTree(new File(f.toString()));
                JsonNode bundled = NetifySchemas.schemaNode(name);
                assertThat(structure(bundled)).as(name).isEqualTo(structure(published));
            }
        }
    }

    /** The schema without prose: what validation depends on. */
    private static JsonNode structure(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                // No Netify schema has a property with one of these names (checked).
                if (PROSE.contains(e.getKey())) {
                    continue;
                }
                out.set(e.getKey(), structure(e.getValue()));
            }
            return out;
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = MAPPER.createArrayNode();
            n.forEach(x -> out.add(structure(x)));
            return out;
        }
        return n;
    }
}
