package io.flowtap.dpi;

/** What a dissector sees of the current packet and its flow. Reused from packet to packet. */
public final class DpiContext {
    private DpiPacket packet;
    private DpiState state;
    private FlowMetadata metadata;
    private boolean updated;

    void bind(DpiPacket packet, DpiState state, FlowMetadata metadata) {
        this.packet = packet;
        this.state = state;
        this.metadata = metadata;
        this.updated = false;
    }

    public DpiPacket packet() {
        return packet;
    }

    public DpiState state() {
        return state;
    }

    public FlowMetadata metadata() {
        return metadata;
    }

    /** The client-to-server byte stream (TCP only; empty before any data). */
    public StreamBuffer clientStream() {
        return state.clientStream;
    }

    /** The server-to-client byte stream (TCP only). */
    public StreamBuffer serverStream() {
        return state.serverStream;
    }

    /** Dissectors call this when they add metadata. */
    public void updated() {
        updated = true;
    }

    boolean wasUpdated() {
        return updated;
    }
}
