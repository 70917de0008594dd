package io.flowtap.connectors.kafka;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A record that is not a packet event is counted and skipped; the ones around it still come. */
class PacketEventDeserializerTest {
    @Test
    void malformedRecordsAreCountedNotThrown() throws Exception {
        Map<String, Counter> counters = new HashMap<>();
        PacketEventDeserializer d = new PacketEventDeserializer();
        d.open(context(counters));
        byte[] good = PacketEvents.encode(PacketEvents.endOfCapture("edge", "eth0", 1_000_000L));
        List<PacketEvent> out = new ArrayList<>();
        Collector<PacketEvent> collector =
                new Collector<>() {
                    @Override
                    public void collect(PacketEvent e) {
                        out.add(e);
                    }

                    @Override
                    public void close() {}
                };
        d.deserialize(record(0, good), collector);
        d.deserialize(record(1, "not Avro".getBytes(StandardCharsets.US_ASCII)), collector);
        d.deserialize(record(2, Arrays.copyOf(good, good.length - 3)), collector);
        d.deserialize(record(3, new byte[0]), collector);
        d.deserialize(record(4, good), collector);

        assertThat(out).hasSize(2).allSatisfy(e -> assertThat(e.getAgentId()).isEqualTo("edge"));
        assertThat(counters.get(PacketEventDeserializer.METRIC_EVENTS).getCount()).isEqualTo(2);
        assertThat(counters.get(PacketEventDeserializer.METRIC_MALFORMED).getCount()).isEqualTo(3);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("packets", 0, offset, null, value);
    }

    /** A metric group that keeps the counters it hands out, so the test can read them. */
    private static DeserializationSchema.InitializationContext context(
            Map<String, Counter> counters) {
        MetricGroup group =
                new UnregisteredMetricsGroup() {
                    @Override
                    public Counter counter(String name) {
                        Counter c = new SimpleCounter();
                        counters.put(name, c);
                        return c;
                    }

                    @Override
                    public MetricGroup addGroup(String name) {
                        return this;
                    }
                };
        return new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return group;
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return null;
            }
        };
    }
}
