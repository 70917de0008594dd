package io.flowtap.dpi;

/**
 * The packet under inspection, reused from packet to packet. "Client" is the end that opened the
 * flow.
 */
public final class DpiPacket {
    public static final int TCP = 6;
    public static final int UDP = 17;

    public int ipProtocol;
    public int ipVersion;
    public int clientPort;
    public int serverPort;
    public boolean fromClient;
    public int tcpFlags;
    public int tcpSeq;
    public long timestampMs;

    /** Payload bytes carried with the packet; {@code length} may be 0. */
    public byte[] payload = new byte[0];

    public int offset;
    public int length;

    public boolean isTcp() {
        return ipProtocol == TCP;
    }

    public boolean isUdp() {
        return ipProtocol == UDP;
    }

    /** True when either port is {@code port}. */
    public boolean hasPort(int port) {
        return clientPort == port || serverPort == port;
    }
}
