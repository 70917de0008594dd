package io.flowtap.capture.agent;

import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.NetifySchemas;
import io.flowtap.schemas.PacketEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent replaying the sample capture into a real broker. Expected counts come from capinfos:
 * 2,154 packets, 2,125,938 bytes on the wire, all of them IP.
 */
class CaptureAgentTest {
    private static final Path SAMPLE = Path.of("..", "testdata", "pcap", "flowtap-sample.pcap");
    private static final int PARTITIONS = 4;
    private static LocalKafka kafka;

    @BeforeAll
    static void startKafka() throws IOException {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static AgentSettings.Builder settings(String agent, String bootstrap) {
        return AgentSettings.builder()
                .agentId(agent)
                .bootstrapServers(bootstrap)
                .packetTopic(agent + ".packets")
                .statusTopic(agent + ".status")
                .updateInterval(Duration.ofSeconds(1));
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            int idle = 0;
            while (System.currentTimeMillis() < deadline && (out.size() < atLeast || idle < 3)) {
                var records = c.poll(Duration.ofMillis(500));
                idle = records.isEmpty() ? idle + 1 : 0;
                records.forEach(out::add);
            }
        }
        return out;
    }

    /** With an event per packet, and with a flow's packets joined (the default). */
    @ParameterizedTest
    @ValueSource(ints = {1, 64})
    void replayLandsEveryPacketOnceWithFlowsInOnePartitionThenMarkers(int coalesce)
            throws Exception {
        String agentId = "a1-" + coalesce;
        kafka.createTopics(Map.of(agentId + ".packets", PARTITIONS, agentId + ".status", 1));
        AgentSettings s =
                settings(agentId, kafka.bootstrapServers())
                        .replay(SAMPLE, ReplaySource.AS_FAST_AS_POSSIBLE)
                        .coalesce(coalesce, Duration.ofMillis(200))
                        .build();
        long sent;
        try (CaptureAgent agent = new CaptureAgent(s, CaptureAgent.sourcesFor(s))) {
            agent.start();
            assertThat(agent.awaitFinished(60, TimeUnit.SECONDS)).isTrue();
            CaptureAgent.Counters c = agent.counters();
            assertThat(c.frames).isEqualTo(2154);
            // The capture spans 4 seconds of the epoch (capinfos: 00:48:26.6 to 00:48:30.2):
            // one counter report per 1 s update interval.
            assertThat(c.reports).isEqualTo(5);
            if (coalesce == 1) {
                assertThat(c.events).isEqualTo(2154 + 5);
            } else {
                // Bulk transfers make long runs of one flow's packets: far fewer events.
                assertThat(c.events).isLessThan(2154 / 4);
            }
            assertThat(c.sent).isEqualTo(c.events);
            assertThat(c.sendFailed + c.queueDropped + c.otherFailed).isZero();
            sent = c.sent;
        }

        List<ConsumerRecord<byte[], byte[]>> records =
                readAll(agentId + ".packets", (int) sent + PARTITIONS);
        Map<String, Set<Integer>> partitionsByFlow = new HashMap<>();
        Map<Integer, Integer> lastOffsetByPartition = new HashMap<>();
        Map<Integer, Long> markerOffset = new HashMap<>();
        Map<Long, Long> packetsBySecond = new TreeMap<>();
        Map<Long, Long> reportedBySecond = new TreeMap<>();
        int packets = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            PacketEvent e = PacketEvents.decode(r.value());
            if (PacketEvents.isCounters(e)) {
                // Every frame of the sample is an IP packet (tshark), so a report's ip count is
                // the packets of its second.
                reportedBySecond.merge(
                        e.getCounters().getUntilNs() / 1_000_000_000L,
                        e.getCounters().getIp(),
                        Long::sum);
                assertThat(e.getCounters().getRaw()).isEqualTo(e.getCounters().getIp());
                continue;
            }
            if (PacketEvents.isEndOfCapture(e)) {
                markerOffset.put(r.partition(), r.offset());
                // The last packet of the capture, 2026-11-22 00:48:30.217645 UTC (capinfos).
                assertThat(e.getEndOfCaptureNs() / 1000).isEqualTo(1_795_308_510_217_645L);
                continue;
            }
            packets += e.getPackets().size();
            for (var p : e.getPackets()) {
                packetsBySecond.merge(p.getTsNs() / 1_000_000_000L, 1L, Long::sum);
            }
            partitionsByFlow
                    .computeIfAbsent(
                            io.flowtap.capture.flow.FlowKeys.hex(e.getFlow().getDigest().bytes()),
                            k -> new HashSet<>())
                    .add(r.partition());
            lastOffsetByPartition.merge(r.partition(), (int) r.offset(), Math::max);
        }
        assertThat(packets).isEqualTo(2154);
        assertThat(reportedBySecond).isEqualTo(packetsBySecond).hasSize(5);
        assertThat(partitionsByFlow.values()).allSatisfy(p -> assertThat(p).hasSize(1));
        // One marker per partition, after every packet event of that partition.
        assertThat(markerOffset).hasSize(PARTITIONS);
        markerOffset.forEach(
                (partition, offset) ->
                        assertThat(offset)
                                .isGreaterThan(lastOffsetByPartition.getOrDefault(partition, -1)));
    }

    @Test
    void statusRecordsFollowNetifysSchemas() throws Exception {
        kafka.createTopics(Map.of("a2.packets", PARTITIONS, "a2.status", 1));
        AgentSettings s =
                settings("a2", kafka.bootstrapServers())
                        .replay(SAMPLE, ReplaySource.AS_FAST_AS_POSSIBLE)
                        .build();
        try (CaptureAgent agent = new CaptureAgent(s, CaptureAgent.sourcesFor(s))) {
            agent.start();
            assertThat(agent.awaitFinished(60, TimeUnit.SECONDS)).isTrue();
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("a2.status", 5)) {
            JsonNode n = mapper.readTree(r.value());
            String type = n.get("type").asText();
            last.put(type, n);
            if (type.equals("agent_hello")) {
                // No JSON Schema: the data-stream page documents its versioning fields.
                assertThat(n.has("agent_version") && n.has("build_version")).isTrue();
                assertThat(n.get("agent_id").asText()).isEqualTo("a2");
                continue;
            }
            String schema = NetifySchemas.forRecordType(type);
            assertThat(NetifySchemas.validate(schema, n)).as(type).isEmpty();
        }
        assertThat(last)
                .containsKeys(
                        "agent_hello",
                        "interfaces",
                        "agent_status",
                        "interface_stats",
                        "global_stats");
        JsonNode global = last.get("global_stats");
        assertThat(global.get("ip").asLong()).isEqualTo(2154);
        assertThat(global.get("wire_bytes").asLong()).isEqualTo(2_125_938);
        assertThat(global.get("discarded").asLong()).isZero();
        assertThat(last.get("interface_stats").get("pcap").get("ip").asLong()).isEqualTo(2154);
        assertThat(last.get("interfaces").get("pcap").get("role").asText()).isEqualTo("lan");
    }

    @Test
    void kafkaDownAtStartCountsWhatCouldNotBeSentAndStillFinishes() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AgentSettings s =
                settings("a3", "127.0.0.1:" + closedPort)
                        .replay(SAMPLE, ReplaySource.AS_FAST_AS_POSSIBLE)
                        .producerProperty("delivery.timeout.ms", "6000")
                        .producerProperty("request.timeout.ms", "3000")
                        .producerProperty("max.block.ms", "1000")
                        .build();
        try (CaptureAgent agent = new CaptureAgent(s, CaptureAgent.sourcesFor(s))) {
            agent.start();
            assertThat(agent.awaitFinished(90, TimeUnit.SECONDS)).isTrue();
            CaptureAgent.Counters c = agent.counters();
            // Capture went on: every frame was read and made an event; none reached Kafka,
            // and each is accounted for as failed or dropped.
            assertThat(c.frames).isEqualTo(2154);
            assertThat(c.sent).isZero();
            assertThat(c.sendFailed + c.queueDropped).isEqualTo(c.events);
            assertThat(c.lastSendError).isNotNull();
        }
    }

    @Test
    void kafkaDownMidRunCountsWhatCouldNotBeSentAndStillFinishes() throws Exception {
        try (LocalKafka doomed = LocalKafka.start()) {
            doomed.createTopics(Map.of("a4.packets", PARTITIONS, "a4.status", 1));
            AgentSettings s =
                    settings("a4", doomed.bootstrapServers())
                            // The capture lasts 3.6 s; at a fifth of its pace the broker dies
                            // while packets are still coming.
                            .replay(SAMPLE, 0.2)
                            .coalesce(1, Duration.ofMillis(200))
                            .producerProperty("delivery.timeout.ms", "6000")
                            .producerProperty("request.timeout.ms", "3000")
                            .producerProperty("max.block.ms", "1000")
                            .build();
            try (CaptureAgent agent = new CaptureAgent(s, CaptureAgent.sourcesFor(s))) {
                agent.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> agent.counters().sent > 0);
                doomed.kill();
                assertThat(agent.awaitFinished(120, TimeUnit.SECONDS)).isTrue();
                CaptureAgent.Counters c = agent.counters();
                assertThat(c.frames).isEqualTo(2154);
                assertThat(c.events).isEqualTo(2154 + c.reports);
                assertThat(c.sent).isPositive().isLessThan(c.events);
                assertThat(c.sent + c.sendFailed + c.queueDropped).isEqualTo(c.events);
                assertThat(c.lastSendError).isNotNull();
            }
        }
    }
}
