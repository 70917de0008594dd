package io.flowtap.capture.decode;

/**
 * The headers of one frame, decoded in place. The decoder fills the same instance for every frame;
 * addresses are copied into fixed arrays so that the frame buffer may be reused.
 */
public final class DecodedPacket {
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;
    public static final int IGMP = 2;

    public long timestampNanos;
    public int wireLength;

    /** Link-layer addresses are valid only when {@link #hasMacs} is set (Ethernet). */
    public boolean hasMacs;

    public final byte[] srcMac = new byte[6];
    public final byte[] dstMac = new byte[6];

    /** Innermost VLAN id, 0 when untagged. */
    public int vlanId;

    public int vlanTags;
    public int mplsLabels;
    public boolean pppoe;

    public int ipVersion;

    /** Transport protocol after IPv6 extension headers. */
    public int ipProtocol;

    public final byte[] srcAddr = new byte[16];
    public final byte[] dstAddr = new byte[16];

    /** 4 or 16. */
    public int addrLength;

    public int dscp;

    /** IP datagram length per its header (header included). */
    public int ipLength;

    public boolean fragment;

    /** True for the fragment at offset 0 (which carries the transport header). */
    public boolean firstFragment;

    /** IPv4 identification or IPv6 fragment identification. */
    public long fragmentId;

    public int srcPort;
    public int dstPort;

    /** True when the ports were taken from an earlier fragment of the same datagram. */
    public boolean portsFromFragmentTable;

    public int tcpFlags;
    public int tcpSeq;
    public int tcpAck;

    /** Transport payload length per the headers. */
    public int payloadLength;

    /** Offset in the frame's buffer of the payload's first byte. */
    public int payloadOffset;

    /** Payload bytes actually present in the captured frame (snap length may cut it). */
    public int payloadCaptured;

    void reset() {
        hasMacs = false;
        vlanId = 0;
        vlanTags = 0;
        mplsLabels = 0;
        pppoe = false;
        ipVersion = 0;
        ipProtocol = 0;
        addrLength = 0;
        dscp = 0;
        ipLength = 0;
        fragment = false;
        firstFragment = false;
        fragmentId = 0;
        srcPort = 0;
        dstPort = 0;
        portsFromFragmentTable = false;
        tcpFlags = 0;
        tcpSeq = 0;
        tcpAck = 0;
        payloadLength = 0;
        payloadOffset = 0;
        payloadCaptured = 0;
    }

    public boolean hasPorts() {
        return ipProtocol == TCP || ipProtocol == UDP || ipProtocol == 132 || ipProtocol == 136;
    }
}
