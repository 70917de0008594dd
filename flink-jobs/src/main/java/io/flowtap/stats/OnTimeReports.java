package io.flowtap.stats;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counter reports as interface totals, each placed at its capture time, or just after the watermark
 * when it arrives behind it (a late partition, a slow agent): the windows of its own interval have
 * fired, so it counts in the interval the job is at rather than being dropped.
 */
final class OnTimeReports extends ProcessFunction<PacketEvent, InterfaceTotals> {
    private static final long serialVersionUID = 1L;

    static final String METRIC_LATE = "lateCounterReports";

    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter(METRIC_LATE);
    }

    @Override
    public void processElement(PacketEvent report, Context ctx, Collector<InterfaceTotals> out) {
        InterfaceTotals t = InterfaceTotals.of(report);
        long at = PacketEvents.timestampMs(report);
        long watermark = ctx.timerService().currentWatermark();
        if (at <= watermark && watermark < Long.MAX_VALUE) {
            late.inc();
            at = watermark + 1;
        }
        t.atMs = at;
        out.collect(t);
    }
}
