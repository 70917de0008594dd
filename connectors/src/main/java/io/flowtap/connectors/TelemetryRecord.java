package io.flowtap.connectors;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One telemetry record on its way to the sinks: a rendered JSON object with what routing needs. A
 * Flink POJO (public fields, no-arg constructor) so it never falls back to Kryo.
 */
public class TelemetryRecord {
    /** Netify record type, e.g. {@code flow}, {@code flow_stats}, {@code flow_purge}. */
    public String type;

    /** Routing key: the flow digest for flow records. */
    public String key;

    /** Event time of the record, epoch milliseconds. */
    public long timestamp;

    /** The record as one UTF-8 JSON object, without a trailing newline. */
    public byte[] json;

    public TelemetryRecord() {}

    public TelemetryRecord(String type, String key, long timestamp, byte[] json) {
        this.type = type;
        this.key = key;
        this.timestamp = timestamp;
        this.json = json;
    }

    public String jsonString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TelemetryRecord)) {
            return false;
        }
        TelemetryRecord r = (TelemetryRecord) o;
        return timestamp == r.timestamp
                && Objects.equals(type, r.type)
                && Objects.equals(key, r.key)
                && java.util.Arrays.equals(json, r.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, key, timestamp);
    }

    @Override
    public String toString() {
        return jsonString();
    }
}
