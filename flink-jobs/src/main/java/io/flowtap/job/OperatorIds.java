package io.flowtap.job;

/** Stable operator uids (savepoints map state by them: never change one) and readable names. */
public final class OperatorIds {
    public static final String PCAP_SOURCE = "pcap-source";
    public static final String KAFKA_SOURCE = "kafka-packet-source";
    public static final String PACKETS = "packets";
    public static final String END_OF_CAPTURE = "end-of-capture-markers";
    public static final String END_OF_CAPTURE_CONTROL = "end-of-capture-control";
    public static final String FEED_WATCH_SOURCE = "feed-watch-source";
    public static final String FEED_CONTROL = "feed-control";
    public static final String FLOW_TRACKER = "flow-tracker";
    public static final String FLOW_TABLE_TRACKER = "flow-table-tracker";
    public static final String FLOWS_PARQUET_SINK = "parquet-flows-sink";
    public static final String AGGREGATES_PARQUET_SINK = "parquet-aggregates-sink";
    public static final String INTEL_ROWS = "intel-rows-filter";
    public static final String INTEL_ROWS_MAP = "intel-rows";
    public static final String INTEL_PARQUET_SINK = "parquet-intel-sink";
    public static final String KAFKA_TELEMETRY_SINK = "kafka-telemetry-sink";

    private OperatorIds() {}

    /** The uid of the filter that picks the record types of a sink's channel. */
    public static String route(String kind, String channel) {
        return "route-" + kind + "-" + channel;
    }

    /** The uid of a sink of a channel, e.g. {@code log-sink-flows}. */
    public static String sink(String kind, String channel) {
        return kind + "-sink-" + channel;
    }

    /** The uid of the filter that picks one window indicator's observations. */
    public static String intelObservations(String indicator) {
        return "intel-observations-" + indicator;
    }

    /** The uid of a window indicator's operator. */
    public static String intel(String indicator) {
        return "intel-" + indicator;
    }

    /** The uid of the log sink of a channel. */
    public static String logSink(String channel) {
        return sink("log", channel);
    }
}
