package io.flowtap.job;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time of a packet event: its first packet's capture time, in ms (a counters report's: its
 * last counted frame's). An end-of-capture marker is stamped {@code holdback} ms after the agent's
 * last packet, so that the watermark it raises in its partition passes the end by the flow
 * tracker's tick interval: every flow of the agent then reaches a tick and is purged, instead of
 * waiting for packets that will not come.
 */
public final class PacketTimestamps implements SerializableTimestampAssigner<PacketEvent> {
    private static final long serialVersionUID = 1L;

    private final long holdbackMs;

    /**
     * @param holdbackMs the tracker's tick interval plus the watermark's out-of-orderness, plus one
     */
    public PacketTimestamps(long holdbackMs) {
        this.holdbackMs = holdbackMs;
    }

    @Override
    public long extractTimestamp(PacketEvent event, long recordTimestamp) {
        if (PacketEvents.isEndOfCapture(event)) {
            return event.getEndOfCaptureNs() / 1_000_000L + holdbackMs;
        }
        return PacketEvents.timestampMs(event);
    }
}
