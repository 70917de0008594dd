package io.flowtap.aggregate;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The operators of one aggregator instance: usage filtered by the type's rules and the criteria,
 * summed per flow in each log interval (keyed, in parallel), then summed per row into the
 * interval's payloads.
 */
public final class Aggregation {
    private Aggregation() {}

    public static SingleOutputStreamOperator<TelemetryRecord> apply(
            DataStream<FlowUsage> usage, AggregatorSpec spec) {
        String n = spec.name();
        AggregatorType type = spec.type();
        var criteria = spec.criteria();
        UsageWindows windows = new UsageWindows(spec.intervalMs());
        return usage.filter(u -> type.admits(u) && criteria.test(u))
                .uid("aggregate-filter-" + n)
                .name("Aggregator " + n + ": flows")
                // One partial per flow and interval, with the flow's identity at the interval's
                // end: a flow whose application is learnt mid-interval counts once, as that.
                .keyBy(u -> u.flowId)
                .window(windows)
                .reduce(FlowUsage::plus)
                .uid("aggregate-sum-" + n)
                .name("Aggregator " + n + ": sum per flow")
                .windowAll(windows)
                .process(new PayloadBuilder(spec), TypeInformation.of(TelemetryRecord.class))
                .uid("aggregate-payload-" + n)
                .name("Aggregator " + n + ": payloads");
    }
}
