package io.flowtap.job;

/** Stable operator uids (savepoints map state by them: never change one) and readable names. */
public final class OperatorIds {
    public static final String PCAP_SOURCE = "pcap-source";
    public static final String FLOW_TRACKER = "flow-tracker";
    public static final String FLOWS_PARQUET_SINK = "parquet-flows-sink";

    private OperatorIds() {}

    /** The uid of the log sink of a channel. */
    public static String logSink(String channel) {
        return "log-sink-" + channel;
    }
}
