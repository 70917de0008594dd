package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowSettings;
import io.flowtap.schema.PacketEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The flow tracker of a backfill at parallelism 1 on RocksDB ({@link TableFlowTracker} on the heap,
 * which keeps a table of its own): the same per-key work as {@link FlowTracker}, with one input, so
 * that Flink chains it to the capture source in one task. Packet events then reach it as objects
 * instead of being serialized across a {@code keyBy} and read back; the key context comes from the
 * reinterpreted stream ({@link
 * org.apache.flink.streaming.api.datastream.DataStreamUtils#reinterpretAsKeyedStream}), which is
 * sound because one instance owns every key group.
 *
 * <p>It has no broadcast input because a backfill has nothing to broadcast: the pcap source sends
 * no end-of-capture markers (the end of input ends every flow) and feeds do not change while a
 * backfill runs. Without markers, idle flows need no tick before the one at which they expire. Its
 * records are exactly {@link FlowTracker}'s.
 */
public final class ChainedFlowTracker
        extends KeyedProcessFunction<String, PacketEvent, TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private final FlowTracking tracking;

    public ChainedFlowTracker(FlowSettings settings) {
        // No markers end flows here: an idle flow sleeps until its expiry instead of ticking.
        this.tracking = new FlowTracking(settings, false);
    }

    @Override
    public void open(OpenContext openContext) {
        tracking.open(getRuntimeContext());
    }

    @Override
    public void processElement(PacketEvent event, Context ctx, Collector<TelemetryRecord> out)
            throws Exception {
        tracking.onEvent(event, ctx.timerService(), ctx::output, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryRecord> out)
            throws Exception {
        tracking.onTimer(
                timestamp, FlowTracking.EndedAgents.NONE, ctx.timerService(), ctx::output, out);
    }
}
