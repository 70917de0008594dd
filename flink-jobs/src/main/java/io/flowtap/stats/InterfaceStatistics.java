package io.flowtap.stats;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

import java.time.Duration;
import java.util.Set;

/**
 * Netify's {@code interface_stats} and {@code global_stats} from the counter reports that capture
 * agents (and the pcap source) put among the packet events: each interface's reports summed per
 * update interval of event time (keyed, in parallel), then one record of every interface's counts
 * in the interval and one of the running totals since the job started. A report that arrives behind
 * the watermark counts in the interval the job is at (and in the metric {@code
 * lateCounterReports}).
 */
public final class InterfaceStatistics {
    /** The record types this produces. */
    public static final Set<String> RECORD_TYPES = Set.of("interface_stats", "global_stats");

    private InterfaceStatistics() {}

    public static DataStream<TelemetryRecord> apply(
            DataStream<PacketEvent> events, long updateIntervalMs) {
        return events.filter(PacketEvents::isCounters)
                .uid("counter-reports")
                .name("Counter reports")
                .process(new OnTimeReports(), TypeInformation.of(InterfaceTotals.class))
                .uid("counter-report-totals")
                .name("Counter report totals")
                .keyBy(t -> t.interfaceName)
                .window(new ReportWindows(updateIntervalMs))
                .reduce(InterfaceTotals::plus)
                .uid("interface-counters-sum")
                .name("Interface counters: sum per interval")
                .windowAll(TumblingEventTimeWindows.of(Duration.ofMillis(updateIntervalMs)))
                .process(new StatsRecords(), TypeInformation.of(TelemetryRecord.class))
                .uid("interface-stats")
                .name("Interface statistics");
    }
}
