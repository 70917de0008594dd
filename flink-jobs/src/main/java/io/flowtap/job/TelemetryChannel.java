package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.connector.sink2.Sink;

import java.io.Serializable;
import java.util.Set;

/**
 * A sink for one channel of telemetry and the record types it takes.
 *
 * @param kind the kind of sink ({@code log}, {@code http}, ...), part of its operator uid
 * @param channel the channel's name, unique within its kind
 * @param recordTypes the Netify record types routed to the sink, or null for all of them
 */
public record TelemetryChannel(
        String kind, String channel, Set<String> recordTypes, Sink<TelemetryRecord> sink)
        implements Serializable {
    /** A log sink channel that takes every record. */
    public static TelemetryChannel log(String channel, Sink<TelemetryRecord> sink) {
        return new TelemetryChannel("log", channel, null, sink);
    }
}
