package io.flowtap.connectors.kafka;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka sink for one telemetry channel: one topic, the channel's format and compression, key =
 * flow digest. Exactly-once by default: records are written in Kafka transactions that commit when
 * the checkpoint covering them completes (and at the end of a bounded job), so {@code
 * read_committed} consumers see each record once even across restarts.
 */
public final class KafkaChannelSink {
    /** Brokers abort older transactions; Kafka's default broker maximum is 15 minutes. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private KafkaChannelSink() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Builds the {@link KafkaSink} of one channel. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic;
        private PayloadFormat format = PayloadFormat.JSON;
        private Compressor compressor = Compressor.NONE;
        private DeliveryGuarantee guarantee = DeliveryGuarantee.EXACTLY_ONCE;
        private String transactionalIdPrefix;
        private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        private final Map<String, String> properties = new LinkedHashMap<>();

        public Builder setBootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder setTopic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder setFormat(PayloadFormat format) {
            this.format = Objects.requireNonNull(format);
            return this;
        }

        public Builder setCompressor(Compressor compressor) {
            this.compressor = Objects.requireNonNull(compressor);
            return this;
        }

        /** {@code EXACTLY_ONCE} (default) or {@code AT_LEAST_ONCE}. */
        public Builder setDeliveryGuarantee(DeliveryGuarantee guarantee) {
            if (guarantee == DeliveryGuarantee.NONE) {
                throw new IllegalArgumentException("telemetry is delivered at least once");
            }
            this.guarantee = guarantee;
            return this;
        }

        /** Prefix of the transactional ids; unique per channel across every job on the cluster. */
        public Builder setTransactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = prefix;
            return this;
        }

        public Builder setTransactionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the transaction timeout must be positive");
            }
            this.transactionTimeout = timeout;
            return this;
        }

        /** A Kafka producer property (TLS, SASL, linger, ...). */
        public Builder setProperty(String key, String value) {
            properties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public KafkaSink<TelemetryRecord> build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("a Kafka sink needs bootstrap servers");
            }
            var b =
                    KafkaSink.<TelemetryRecord>builder()
                            .setBootstrapServers(bootstrapServers)
                            .setRecordSerializer(
                                    new ChannelRecordSerializer(topic, format, compressor))
                            .setDeliveryGuarantee(guarantee)
                            .setProperty(
                                    "transaction.timeout.ms",
                                    Long.toString(transactionTimeout.toMillis()));
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
                    throw new IllegalArgumentException(
                            "an exactly-once Kafka sink needs a transactional id prefix");
                }
                b.setTransactionalIdPrefix(transactionalIdPrefix);
            }
            properties.forEach(b::setProperty);
            return b.build();
        }
    }
}
