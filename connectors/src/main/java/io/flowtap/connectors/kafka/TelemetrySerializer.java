package io.flowtap.connectors.kafka;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Writes a telemetry record to its channel's topic, keyed by its routing key (the flow digest for
 * flow records, so a flow's records share a partition and stay in order) with the record's event
 * time as the Kafka timestamp.
 */
public final class TelemetrySerializer implements KafkaRecordSerializationSchema<TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private final TelemetryTopics topics;

    public TelemetrySerializer(TelemetryTopics topics) {
        this.topics = topics;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            TelemetryRecord record, KafkaSinkContext context, Long timestamp) {
        byte[] key = record.key == null ? null : record.key.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(
                topics.topic(record.type), null, record.timestamp, key, record.json);
    }
}
