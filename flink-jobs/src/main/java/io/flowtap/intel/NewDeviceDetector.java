package io.flowtap.intel;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * New devices: the first flow, in event time, of a local MAC address the job has not seen before.
 * The flow tracker leaves out the MACs the indicator's feeds (an inventory of known devices, in its
 * version in force) list. Keyed by agent and MAC; a candidate waits for the watermark to pass its
 * time, so that an earlier flow arriving later (from another tracker instance) still takes its
 * place. The MACs seen are kept for the job's life.
 */
final class NewDeviceDetector
        extends KeyedProcessFunction<String, IntelObservation, TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private static final ValueStateDescriptor<Boolean> SEEN =
            new ValueStateDescriptor<>("seen", Types.BOOLEAN);
    private static final ValueStateDescriptor<IntelObservation> CANDIDATE =
            new ValueStateDescriptor<>("candidate", TypeInformation.of(IntelObservation.class));

    private final Indicator indicator;

    private transient ValueState<Boolean> seen;
    private transient ValueState<IntelObservation> candidate;

    NewDeviceDetector(Indicator indicator) {
        this.indicator = indicator;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(SEEN);
        candidate = getRuntimeContext().getState(CANDIDATE);
    }

    @Override
    public void processElement(IntelObservation o, Context ctx, Collector<TelemetryRecord> out)
            throws Exception {
        if (seen.value() != null) {
            return;
        }
        IntelObservation c = candidate.value();
        if (c == null || IntelObservation.compare(o, c) < 0) {
            if (c != null) {
                ctx.timerService().deleteEventTimeTimer(c.timeMs);
            }
            candidate.update(o);
            ctx.timerService().registerEventTimeTimer(o.timeMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryRecord> out)
            throws Exception {
        IntelObservation c = candidate.value();
        if (c == null) {
            return;
        }
        candidate.clear();
        seen.update(true);
        out.collect(
                new TelemetryRecord(
                        indicator.recordType(),
                        c.digest,
                        c.timeMs,
                        IntelJson.render(
                                indicator,
                                c.digest,
                                c.interfaceName,
                                c.internal,
                                IntelEvent.FLOW_NEW,
                                null,
                                null,
                                IntelJson.evidence()
                                        .put("local_mac", c.localMac)
                                        .put("local_ip", c.localIp)
                                        .put("first_seen_at", c.timeMs))));
    }
}
