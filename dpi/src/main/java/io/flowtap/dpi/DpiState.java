package io.flowtap.dpi;

/**
 * Inspection state of one flow while DPI runs: which dissectors are still candidates, the stream
 * starts, and the little each dissector must remember between packets. A Flink POJO; dropped when
 * inspection ends, so its size only matters for flows still being inspected (bounded by the two
 * stream buffers).
 */
public class DpiState {
    /** Packets of the flow seen by DPI, payload or not. */
    public int packets;

    /** Bit i set: dissector i is ruled out for this flow. */
    public long excluded;

    /** Index of the dissector that detected the flow, or -1. */
    public int detectedBy = -1;

    public boolean complete;

    /** Malformed payloads seen (a dissector's VIOLATION). */
    public int violations;

    public StreamBuffer clientStream;
    public StreamBuffer serverStream;

    // What dissectors remember between packets.
    public int tlsClientParsed;
    public int tlsServerParsed;
    public int datagrams;
    public int clientDatagrams;
    public int serverDatagrams;

    /** SSH: bit 1 the client's KEXINIT read, bit 2 the server's. */
    public int sshKex;

    /** The client's CRYPTO stream in QUIC Initial packets, by offset. */
    public StreamBuffer quicCrypto;

    public DpiState() {}

    public boolean isExcluded(int dissector) {
        return (excluded & (1L << dissector)) != 0;
    }

    public void exclude(int dissector) {
        excluded |= 1L << dissector;
    }
}
