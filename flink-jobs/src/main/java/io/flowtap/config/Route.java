package io.flowtap.config;

import java.util.Set;

/**
 * One enabled channel of a sink in {@code netify-proc-core.json}: which record types it carries and
 * how they are encoded.
 *
 * @param sink the sink plugin, e.g. {@code sink-log}
 * @param channel the channel name, e.g. {@code flows}
 * @param recordTypes the Netify record types the channel carries
 * @param format {@code json} or {@code msgpack}
 * @param compressor {@code none} or {@code gz}
 * @param topic for MQTT routes, the topic with its variables expanded; null otherwise
 */
public record Route(
        String sink,
        String channel,
        Set<String> recordTypes,
        String format,
        String compressor,
        String topic) {
    public Route(
            String sink,
            String channel,
            Set<String> recordTypes,
            String format,
            String compressor) {
        this(sink, channel, recordTypes, format, compressor, null);
    }
}
