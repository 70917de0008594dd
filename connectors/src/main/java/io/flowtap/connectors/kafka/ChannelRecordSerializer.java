package io.flowtap.connectors.kafka;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.format.Payloads;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes every record of one channel to one topic, in the channel's format and compression, keyed
 * by the flow digest so a flow's records share a partition and keep their order, with the record's
 * event time as the Kafka timestamp.
 */
public final class ChannelRecordSerializer
        implements KafkaRecordSerializationSchema<TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final PayloadFormat format;
    private final Compressor compressor;

    public ChannelRecordSerializer(String topic, PayloadFormat format, Compressor compressor) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a Kafka channel needs a topic");
        }
        this.topic = topic;
        this.format = Objects.requireNonNull(format, "format");
        this.compressor = Objects.requireNonNull(compressor, "compressor");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            TelemetryRecord record, KafkaSinkContext context, Long timestamp) {
        byte[] key = record.key == null ? null : record.key.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] value = Payloads.encode(record.json, format);
            if (compressor == Compressor.GZ) {
                value = Payloads.gzip(value);
            }
            return new ProducerRecord<>(topic, null, record.timestamp, key, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + record.type + " record", e);
        }
    }
}
