package io.flowtap.flow;

/** Why a flow left the flow table, as the flow_purge record's {@code reason}. */
public enum PurgeReason {
    /** A TCP flow that was closed (FIN acknowledged or RST) and then went idle, or was reused. */
    CLOSED("closed"),
    /** Idle for longer than its TTL, including at the end of a bounded input. */
    EXPIRED("expired");

    private final String json;

    PurgeReason(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
