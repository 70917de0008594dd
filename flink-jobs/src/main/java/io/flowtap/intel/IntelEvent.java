package io.flowtap.intel;

/** The flow events an indicator can listen to, named as Netify names them. */
public enum IntelEvent {
    DPI_NEW("dpi_new"),
    DPI_UPDATE("dpi_update"),
    DPI_COMPLETE("dpi_complete"),
    FLOW_NEW("flow_new"),
    FLOW_STATS("flow_stats"),
    FLOW_EXPIRING("flow_expiring"),
    FLOW_EXPIRED("flow_expired");

    private final String json;

    IntelEvent(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static IntelEvent of(String json) {
        for (IntelEvent e : values()) {
            if (e.json.equals(json)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown event '" + json + "'");
    }
}
