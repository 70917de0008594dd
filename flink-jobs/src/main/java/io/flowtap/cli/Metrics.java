package io.flowtap.cli;

import io.flowtap.connectors.kafka.PacketEventDeserializer;
import io.flowtap.connectors.pcap.PcapSourceMetrics;
import io.flowtap.job.FlowTracker;

/** The metric names the command line reads (defined by the operators that register them). */
final class Metrics {
    static final String FRAMES = PcapSourceMetrics.FRAMES;
    static final String PACKETS = PcapSourceMetrics.PACKETS;
    static final String WIRE_BYTES = PcapSourceMetrics.WIRE_BYTES;
    static final String DISCARDED = PcapSourceMetrics.DISCARDED;
    static final String NOT_IP = PcapSourceMetrics.NOT_IP;
    static final String FILE_ERRORS = PcapSourceMetrics.FILE_ERRORS;
    static final String FLOWS = FlowTracker.METRIC_FLOWS;
    static final String PURGED = FlowTracker.METRIC_PURGED;
    static final String LATE = FlowTracker.METRIC_LATE;
    static final String FLOW_PACKETS = FlowTracker.METRIC_PACKETS;
    static final String EVENTS = PacketEventDeserializer.METRIC_EVENTS;
    static final String MALFORMED = PacketEventDeserializer.METRIC_MALFORMED;

    private Metrics() {}
}
