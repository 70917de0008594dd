package io.flowtap.intel;

import io.flowtap.job.FieldTimeWindows;

import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Tumbling windows of a window driver, aligned to the epoch, that place each observation by the
 * time it stands for and decide a fixed delay after they end.
 *
 * <p>The flow tracker observes a flow up to one update interval after the time the observation
 * stands for (a scan probe at its first report, an upload at the end of its interval). The window
 * [k·size, (k+1)·size) is therefore the Flink window [k·size + delay, (k+1)·size + delay): it fires
 * when the watermark has passed its end by the delay, by which time the tracker has emitted every
 * observation that belongs in it.
 */
public final class ObservationWindows extends FieldTimeWindows {
    private static final long serialVersionUID = 1L;

    private final long delay;

    public ObservationWindows(long sizeMs, long delayMs) {
        super(sizeMs);
        if (delayMs < 0) {
            throw new IllegalArgumentException("the delay must not be negative");
        }
        this.delay = delayMs;
    }

    @Override
    protected TimeWindow windowOf(Object element) {
        long start = Math.floorDiv(((IntelObservation) element).timeMs, size) * size;
        return new TimeWindow(start + delay, start + size + delay);
    }

    /** Start (inclusive) of the interval a window stands for, in ms. */
    public long start(TimeWindow w) {
        return w.getStart() - delay;
    }

    /** End (exclusive) of the interval a window stands for, in ms. */
    public long end(TimeWindow w) {
        return w.getEnd() - delay;
    }
}
