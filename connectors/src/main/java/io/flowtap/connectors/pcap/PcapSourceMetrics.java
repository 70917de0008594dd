package io.flowtap.connectors.pcap;

/** Names of the metrics each pcap source reader registers, under the group {@link #GROUP}. */
public final class PcapSourceMetrics {
    public static final String GROUP = "flowtap";

    /** Frames read from the files. */
    public static final String FRAMES = "captureFrames";

    /** IP packets that became flow packets. */
    public static final String PACKETS = "capturePackets";

    /** Wire bytes of all frames read. */
    public static final String WIRE_BYTES = "captureWireBytes";

    /** Truncated, malformed or unsupported frames. */
    public static final String DISCARDED = "captureDiscarded";

    /** Frames that are not IP. */
    public static final String NOT_IP = "captureNotIp";

    /** PacketEvents emitted. */
    public static final String EVENTS = "captureEvents";

    /** Newline-separated messages of the files that ended in an error (file and byte offset). */
    public static final String FILE_ERRORS = "captureFileErrors";

    private PcapSourceMetrics() {}
}
