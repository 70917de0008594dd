package io.flowtap.connectors.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Which Kafka topic each telemetry record goes to: {@code <prefix>.<channel>}, where the channel
 * groups record types the way dashboards read them. {@code flow}, {@code flow_dpi_update} and
 * {@code flow_dpi_complete} share the {@code flows} channel so that a flow's records stay in order
 * under one key; {@code flow_stats} goes to {@code stats}, {@code flow_purge} to {@code purge}; the
 * {@code flow_intel} records of every indicator ({@code intel:<indicator>}) to {@code intel}; any
 * other type to a channel of its own name.
 */
public final class TelemetryTopics implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_PREFIX = "flowtap";

    /** The channels the flow pipeline writes today. */
    public static final List<String> FLOW_CHANNELS = List.of("flows", "stats", "purge");

    /** The channel of the intelligence indicators' records. */
    public static final String INTEL_CHANNEL = "intel";

    private final String prefix;

    public TelemetryTopics(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("the telemetry topic prefix must not be empty");
        }
        this.prefix = prefix;
    }

    public static TelemetryTopics withDefaults() {
        return new TelemetryTopics(DEFAULT_PREFIX);
    }

    /** The channel of a Netify record type. */
    public static String channel(String type) {
        switch (Objects.requireNonNull(type, "type")) {
            case "flow":
            case "flow_dpi_update":
            case "flow_dpi_complete":
                return "flows";
            case "flow_stats":
                return "stats";
            case "flow_purge":
                return "purge";
            default:
                return type.startsWith("intel:") ? INTEL_CHANNEL : type;
        }
    }

    public String topic(String type) {
        return topicOfChannel(channel(type));
    }

    public String topicOfChannel(String channel) {
        return prefix + "." + channel;
    }

    public String prefix() {
        return prefix;
    }
}
