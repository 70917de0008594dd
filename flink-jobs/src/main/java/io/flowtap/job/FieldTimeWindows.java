package io.flowtap.job;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

import java.util.List;

/**
 * Tumbling event-time windows of a fixed size, aligned to the epoch, that place each element by a
 * time it carries rather than by its record timestamp; subclasses say which time and how a window
 * stands for its interval.
 */
public abstract class FieldTimeWindows extends WindowAssigner<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    protected final long size;

    protected FieldTimeWindows(long sizeMs) {
        if (sizeMs < 1) {
            throw new IllegalArgumentException("the interval must be positive");
        }
        this.size = sizeMs;
    }

    /** The window of one element. */
    protected abstract TimeWindow windowOf(Object element);

    @Override
    public final List<TimeWindow> assignWindows(
            Object element, long timestamp, WindowAssignerContext context) {
        return List.of(windowOf(element));
    }

    @Override
    public final Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public final TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public final boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + size + " ms)";
    }
}
