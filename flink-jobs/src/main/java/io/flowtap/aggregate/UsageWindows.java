package io.flowtap.aggregate;

import io.flowtap.job.FieldTimeWindows;

import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Tumbling log intervals, aligned to multiples of the interval since the epoch, that take each
 * usage by the end of the stretch it covers rather than by its record timestamp (which is where the
 * flow tracker happened to be when it emitted it).
 *
 * <p>The interval [k·size, (k+1)·size) is the window [k·size + 1, (k+1)·size + 1): it holds the
 * usage of ticks k·size &lt; t ≤ (k+1)·size and fires when the watermark reaches (k+1)·size, which
 * the flow tracker forwards only after it has emitted every usage up to that tick.
 */
public final class UsageWindows extends FieldTimeWindows {
    private static final long serialVersionUID = 1L;

    public UsageWindows(long sizeMs) {
        super(sizeMs);
    }

    /** The log interval that holds a stretch ending at {@code endMs}. */
    public long intervalStart(long endMs) {
        return Math.floorDiv(endMs - 1, size) * size;
    }

    @Override
    protected TimeWindow windowOf(Object element) {
        long start = intervalStart(((FlowUsage) element).endMs);
        return new TimeWindow(start + 1, start + size + 1);
    }

    /** [start, end) of the log interval a window stands for. */
    public static long start(TimeWindow w) {
        return w.getStart() - 1;
    }

    public static long end(TimeWindow w) {
        return w.getEnd() - 1;
    }
}
