package io.flowtap.capture.flow;

/** Netify's classification of the non-local end of a flow, as the JSON field other_type. */
public enum OtherType {
    LOCAL("local"),
    REMOTE("remote"),
    BROADCAST("broadcast"),
    MULTICAST("multicast"),
    UNSUPPORTED("unsupported"),
    ERROR("error"),
    UNKNOWN("unknown");

    private final String json;

    OtherType(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
