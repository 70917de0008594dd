package io.flowtap.stats;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.schema.InterfaceCounters;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.NetifySchemas;
import io.flowtap.schemas.PacketEvents;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics operators on hand-made counter reports in a real (embedded) Flink job, with a
 * watermark after every report: sums per interface and interval, running totals, the largest frame,
 * and a report that arrives behind the watermark counted in the interval the job is at.
 */
class InterfaceStatisticsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long BASE = 1_795_308_000_000L; // a multiple of 15 s

    private static PacketEvent report(String itf, long ms, long raw, long largest) {
        InterfaceCounters c =
                InterfaceCounters.newBuilder()
                        .setUntilNs(ms * 1_000_000L)
                        .setRaw(raw)
                        .setEthernet(raw)
                        .setIp(raw)
                        .setIpBytes(raw * 100)
                        .setWireBytes(raw * 100)
                        .setTcp(raw)
                        .setUdp(0)
                        .setIcmp(0)
                        .setIgmp(0)
                        .setVlan(0)
                        .setMpls(0)
                        .setPppoe(0)
                        .setFragmented(0)
                        .setDiscarded(0)
                        .setDiscardedBytes(0)
                        .setLargestBytes(largest)
                        .setTcpResets(1)
                        .setTcpSeqErrors(0)
                        .build();
        return PacketEvents.counters("agent", itf, c);
    }

    /** A watermark just behind every event, so that a later event can be late. */
    private static final class EveryEvent implements WatermarkGenerator<PacketEvent> {
        @Override
        public void onEvent(PacketEvent e, long timestamp, WatermarkOutput out) {
            out.emitWatermark(new Watermark(timestamp - 1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }

    @Test
    void reportsAreSummedPerIntervalAndLateOnesCountInTheCurrentInterval() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<PacketEvent> reports =
                List.of(
                        report("eth0", BASE + 1_000, 10, 1500),
                        report("eth1", BASE + 2_000, 5, 60),
                        report("eth0", BASE + 9_000, 3, 200),
                        report("eth0", BASE + 16_000, 7, 900),
                        // Behind the watermark (BASE + 15,999): counts in [15 s, 30 s).
                        report("eth1", BASE + 14_000, 2, 1514));
        var events =
                env.fromData(
                                new AvroTypeInfo<>(PacketEvent.class),
                                reports.toArray(new PacketEvent[0]))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<PacketEvent>forGenerator(c -> new EveryEvent())
                                        .withTimestampAssigner(
                                                (e, t) -> PacketEvents.timestampMs(e)));
        List<TelemetryRecord> out = new ArrayList<>();
        try (var it = InterfaceStatistics.apply(events, 15_000).executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        out.sort(
                Comparator.comparingLong((TelemetryRecord r) -> r.timestamp)
                        .thenComparing(r -> r.type));
        List<String> types = out.stream().map(r -> r.type).toList();
        assertThat(types)
                .containsExactly(
                        "global_stats", "interface_stats", "global_stats", "interface_stats");
        for (TelemetryRecord r : out) {
            JsonNode n = MAPPER.readTree(r.json);
            assertThat(NetifySchemas.validate(NetifySchemas.forRecordType(r.type), n)).isEmpty();
            assertThat(NetifySchemas.undeclaredProperties(NetifySchemas.forRecordType(r.type), n))
                    .isEmpty();
        }
        JsonNode first = MAPPER.readTree(out.get(1).json);
        assertThat(first.get("eth0").get("raw").asLong()).isEqualTo(13);
        assertThat(first.get("eth0").get("largest_bytes").asLong()).isEqualTo(1500);
        assertThat(first.get("eth0").get("tcp_resets").asLong()).isEqualTo(2);
        assertThat(first.get("eth1").get("raw").asLong()).isEqualTo(5);
        assertThat(out.get(1).timestamp).isEqualTo(BASE + 14_999);
        JsonNode second = MAPPER.readTree(out.get(3).json);
        assertThat(second.get("eth0").get("raw").asLong()).isEqualTo(7);
        assertThat(second.get("eth1").get("raw").asLong()).isEqualTo(2);
        assertThat(second.get("eth1").get("largest_bytes").asLong()).isEqualTo(1514);
        JsonNode total = MAPPER.readTree(out.get(2).json);
        assertThat(total.get("raw").asLong()).isEqualTo(10 + 5 + 3 + 7 + 2);
        assertThat(total.get("wire_bytes").asLong()).isEqualTo(2700);
        assertThat(total.get("largest_bytes").asLong()).isEqualTo(1514);
        assertThat(MAPPER.readTree(out.get(0).json).get("raw").asLong()).isEqualTo(18);
    }
}
