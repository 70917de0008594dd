package io.flowtap.capture.decode;

/** Outcome of decoding one frame. Anything but {@link #OK} means the frame is not a flow packet. */
public enum DecodeResult {
    /** An IP packet that belongs to a flow. */
    OK,
    /** Not IP (ARP, LLDP, STP, PPPoE discovery, ...): no flow, nothing wrong. */
    NOT_IP,
    /** The link type of the capture is not supported. */
    UNSUPPORTED_LINK,
    /** Headers are cut off by the end of the captured bytes. */
    TRUNCATED,
    /** Headers contradict themselves (bad version, lengths, offsets). */
    MALFORMED
}
