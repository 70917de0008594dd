package io.flowtap.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code flowtap-sink-kafka.json}: the brokers every Kafka channel writes to, and each channel's
 * topic with variables expanded.
 *
 * @param exactlyOnce transactions committed with checkpoints, or else at-least-once
 * @param transactionalIdPrefix expanded; each channel appends its name
 * @param properties Kafka producer properties, passed through
 * @param topics topic by channel name, enabled channels only
 */
public record KafkaConfig(
        String bootstrapServers,
        boolean exactlyOnce,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Map<String, String> properties,
        Map<String, String> topics) {
    @Override
    public String toString() {
        // Producer properties may hold credentials (sasl.jaas.config, ssl passwords).
        return "KafkaConfig["
                + bootstrapServers
                + ", "
                + (exactlyOnce ? "exactly-once" : "at-least-once")
                + ", topics "
                + topics
                + ", properties "
                + properties.keySet()
                + "]";
    }
}
