package io.flowtap.intel;

/**
 * What the flow tracker tells a window driver about one flow that met the indicator's criteria: the
 * flow's identity, its ends and what the driver needs to know of it. Flink POJO.
 */
public class IntelObservation {
    /** The indicator's position among the configured indicators. */
    public int indicator;

    /**
     * Event time the observation stands for, in ms: the flow's first packet (scans, new devices),
     * the time DPI completed (DNS names), the start of an update interval (uploads).
     */
    public long timeMs;

    public String agentId;
    public String digest;
    public String interfaceName;
    public boolean internal;
    public String localIp;
    public String localMac;
    public String otherIp;
    public int otherPort;
    public int ipProtocol;

    /** The name a DNS flow asked for, or null. */
    public String name;

    /** Bytes the local end sent: in the interval (uploads), else in the flow so far. */
    public long localBytes;

    /** Whether the other end never answered the flow, or only refused it (scans). */
    public boolean failed;

    public IntelObservation() {}

    /** Orders observations by time, then digest, so that window drivers decide the same way. */
    public static int compare(IntelObservation a, IntelObservation b) {
        int c = Long.compare(a.timeMs, b.timeMs);
        return c != 0 ? c : a.digest.compareTo(b.digest);
    }
}
