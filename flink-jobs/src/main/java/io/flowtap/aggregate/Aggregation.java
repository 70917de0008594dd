package io.flowtap.aggregate;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The operators of one aggregator instance: usage filtered by the type's rules and the criteria,
 * summed per row and flow in each log interval (keyed, in parallel), then gathered into the
 * interval's payloads.
 */
public final class Aggregation {
    private Aggregation() {}

    public static DataStream<TelemetryRecord> apply(
            DataStream<FlowUsage> usage, AggregatorSpec spec) {
        String n = spec.name();
        AggregatorType type = spec.type();
        boolean privacy = spec.privacy();
        var criteria = spec.criteria();
        UsageWindows windows = new UsageWindows(spec.intervalMs());
        return usage.filter(u -> type.admits(u) && criteria.test(u))
                .uid("aggregate-filter-" + n)
                .name("Aggregator " + n + ": flows")
                .keyBy(u -> type.dimensions(u, privacy).toString() + "|" + u.flowId)
                .window(windows)
                .reduce(FlowUsage::plus)
                .uid("aggregate-sum-" + n)
                .name("Aggregator " + n + ": sum per row and flow")
                .windowAll(windows)
                .process(new PayloadBuilder(spec), TypeInformation.of(TelemetryRecord.class))
                .uid("aggregate-payload-" + n)
                .name("Aggregator " + n + ": payloads");
    }
}
