package io.flowtap.intel;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The window function of a window driver: sees every observation of one key (a local address, say)
 * in one window, in time order, and fires the indicator at most once for the window.
 */
abstract class WindowDetector
        extends ProcessWindowFunction<IntelObservation, TelemetryRecord, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    protected final Indicator indicator;
    private final ObservationWindows windows;

    WindowDetector(Indicator indicator, ObservationWindows windows) {
        this.indicator = indicator;
        this.windows = windows;
    }

    /**
     * Decides on one window's observations, sorted by time and digest.
     *
     * @param evidence to fill in with what the driver saw (the window is added after)
     * @return the observation of the flow the record names (the one at which the indicator's
     *     threshold was reached), or null when it does not fire
     */
    protected abstract IntelObservation decide(
            List<IntelObservation> sorted, ObjectNode evidence, Context context) throws Exception;

    @Override
    public final void process(
            String key,
            Context context,
            Iterable<IntelObservation> elements,
            Collector<TelemetryRecord> out)
            throws Exception {
        List<IntelObservation> sorted = new ArrayList<>();
        elements.forEach(sorted::add);
        sorted.sort(IntelObservation::compare);
        ObjectNode evidence = IntelJson.evidence();
        IntelObservation hit = decide(sorted, evidence, context);
        if (hit == null) {
            return;
        }
        long start = windows.start(context.window());
        long end = windows.end(context.window());
        evidence.put("window_start_at", start).put("window_end_at", end);
        out.collect(
                new TelemetryRecord(
                        indicator.recordType(),
                        hit.digest,
                        end,
                        IntelJson.render(
                                indicator,
                                hit.digest,
                                hit.interfaceName,
                                hit.internal,
                                indicator.driver().observedAt(),
                                null,
                                null,
                                evidence)));
    }

    /** The interval a window stands for. */
    protected long windowStart(Context context) {
        return windows.start(context.window());
    }
}
