package io.flowtap.aggregate;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.expr.Criteria;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aggregator's windows on hand-made usage in a real (embedded) Flink job: intervals aligned to
 * the epoch, a flow's usage summed within its interval, and no payload for an interval without
 * traffic.
 */
class AggregationIntervalsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static FlowUsage usage(String flow, long endMs, long local, long other) {
        FlowUsage u = new FlowUsage();
        u.flowId = "a/" + flow;
        u.digest = flow;
        u.interfaceName = "eth0";
        u.internal = true;
        u.ipVersion = 4;
        u.ipProtocol = 17;
        u.localAddr = new byte[] {(byte) 192, (byte) 168, 1, 10};
        u.otherAddr = new byte[] {8, 8, 8, 8};
        u.localIp = "192.168.1.10";
        u.otherIp = "8.8.8.8";
        u.localMac = "02:00:00:00:00:01";
        u.otherMac = "02:00:00:00:00:02";
        u.otherPortNumber = 53;
        u.otherTypeName = "remote";
        u.localOrigin = true;
        u.applicationName = "Unknown";
        u.protocolNameText = "DNS";
        u.protocol = 5;
        u.startMs = endMs - 15_000;
        u.endMs = endMs;
        u.localBytes = local;
        u.otherBytes = other;
        u.localPackets = 1;
        u.otherPackets = 1;
        return u;
    }

    @Test
    void intervalsWithoutTrafficHaveNoPayload() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        long base = 1_795_308_000_000L; // a multiple of 60 s
        // Ticks every 15 s; log interval 60 s. Traffic in [base, base+60) and [base+180, base+240)
        // only: the two intervals between are empty.
        List<FlowUsage> input =
                List.of(
                        usage("f1", base + 15_000, 100, 200),
                        usage("f1", base + 60_000, 10, 20),
                        usage("f2", base + 45_000, 1, 2),
                        usage("f1", base + 195_000, 1000, 2000));
        DataStream<FlowUsage> usage =
                env.fromData(input)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<FlowUsage>forMonotonousTimestamps()
                                        .withTimestampAssigner((u, t) -> u.endMs));
        AggregatorSpec spec =
                new AggregatorSpec(
                        "t2", AggregatorType.of(2), 60_000, false, false, 0, Criteria.ALL);
        List<JsonNode> payloads = new ArrayList<>();
        try (var it = Aggregation.apply(usage, spec).executeAndCollect()) {
            while (it.hasNext()) {
                TelemetryRecord r = it.next();
                payloads.add(MAPPER.readTree(r.json));
            }
        }
        payloads.sort(
                (a, b) ->
                        Long.compare(
                                a.get("log_time_start").asLong(),
                                b.get("log_time_start").asLong()));
        assertThat(payloads).hasSize(2);
        long s = base / 1000;
        assertThat(payloads.get(0).get("log_time_start").asLong()).isEqualTo(s);
        assertThat(payloads.get(0).get("log_time_end").asLong()).isEqualTo(s + 60);
        assertThat(payloads.get(1).get("log_time_start").asLong()).isEqualTo(s + 180);
        // The first interval: f1's two ticks and f2 (both to 8.8.8.8 on one row: summed).
        JsonNode row = payloads.get(0).get("stats").get(0);
        assertThat(payloads.get(0).get("stats")).hasSize(1);
        assertThat(row.get("local_bytes").asLong()).isEqualTo(100 + 10 + 1);
        assertThat(row.get("other_bytes").asLong()).isEqualTo(200 + 20 + 2);
        assertThat(row.get("flow_count").asLong()).isEqualTo(2);
        assertThat(payloads.get(1).get("stats").get(0).get("local_bytes").asLong()).isEqualTo(1000);
    }
}
