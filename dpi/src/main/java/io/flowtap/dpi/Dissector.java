package io.flowtap.dpi;

/**
 * One protocol's dissector. Implementations are stateless singletons: what they must remember
 * between packets lives in {@link DpiState}; what they learn goes to {@link FlowMetadata}.
 *
 * <p>Rules: parse with bounds checks at every read; treat bad bytes as data (return {@link
 * Verdict#EXCLUDED} or {@link Verdict#VIOLATION}), never throw; never size a collection from a
 * count read off the wire.
 */
public interface Dissector {
    String name();

    /** A cheap precondition (transport, ports): false skips the dissector for this packet. */
    boolean applies(DpiPacket packet);

    /** Looks at the current packet (and, for stream protocols, the reassembled streams). */
    Verdict inspect(DpiContext context);
}
