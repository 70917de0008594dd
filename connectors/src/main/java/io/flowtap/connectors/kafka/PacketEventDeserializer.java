package io.flowtap.connectors.kafka;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Reads the agent's packet events (Avro single-object encoding). A record that does not decode is
 * counted ({@value #METRIC_MALFORMED}) and logged with its topic, partition and offset, and the job
 * goes on: one bad record must not stop every agent's telemetry.
 */
public final class PacketEventDeserializer
        implements KafkaRecordDeserializationSchema<PacketEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PacketEventDeserializer.class);

    public static final String METRIC_EVENTS = "packetEventsRead";
    public static final String METRIC_MALFORMED = "malformedPacketEvents";

    /** Malformed records logged one by one before the log goes quiet (the counter goes on). */
    private static final int LOGGED = 10;

    private transient Counter events;
    private transient Counter malformed;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup group = context.getMetricGroup().addGroup("flowtap");
        events = group.counter(METRIC_EVENTS);
        malformed = group.counter(METRIC_MALFORMED);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<PacketEvent> out) {
        PacketEvent event;
        try {
            event = PacketEvents.decode(record.value());
        } catch (IOException | RuntimeException e) {
            malformed.inc();
            if (malformed.getCount() <= LOGGED) {
                LOG.warn(
                        "Skipping a malformed packet event at {}-{} offset {}: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
            return;
        }
        events.inc();
        out.collect(event);
    }

    @Override
    public TypeInformation<PacketEvent> getProducedType() {
        return new AvroTypeInfo<>(PacketEvent.class);
    }
}
