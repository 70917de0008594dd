package io.flowtap.job;

import io.flowtap.intel.FeedUpdate;
import io.flowtap.schema.PacketEvent;

/**
 * What the flow tracker's broadcast input carries: an agent's end-of-capture marker, or a new
 * version of a data feed. Flink POJO.
 */
public class TrackerControl {
    /** The agent whose capture ended, or null for a feed update. */
    public String agentId;

    /** The time of the agent's last packet, in ns. */
    public long endOfCaptureNs;

    /** A new version of a feed, or null for a marker. */
    public FeedUpdate feed;

    public TrackerControl() {}

    public static TrackerControl endOfCapture(PacketEvent marker) {
        TrackerControl c = new TrackerControl();
        c.agentId = marker.getAgentId();
        c.endOfCaptureNs = marker.getEndOfCaptureNs();
        return c;
    }

    public static TrackerControl feed(FeedUpdate update) {
        TrackerControl c = new TrackerControl();
        c.feed = update;
        return c;
    }
}
