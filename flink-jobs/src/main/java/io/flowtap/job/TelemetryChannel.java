package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.connector.sink2.Sink;

import java.io.Serializable;
import java.util.Set;

/**
 * A sink for one channel of telemetry and the record types it takes.
 *
 * @param recordTypes the Netify record types routed to the sink, or null for all of them
 */
public record TelemetryChannel(Set<String> recordTypes, Sink<TelemetryRecord> sink)
        implements Serializable {}
