package io.flowtap.stats;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

import java.util.List;

/**
 * Update intervals aligned to the epoch that take each interface's totals by the time {@link
 * OnTimeReports} gave them, rather than by the record's timestamp.
 */
final class ReportWindows extends WindowAssigner<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long size;

    ReportWindows(long sizeMs) {
        this.size = sizeMs;
    }

    @Override
    public List<TimeWindow> assignWindows(
            Object element, long timestamp, WindowAssignerContext context) {
        long start = Math.floorDiv(((InterfaceTotals) element).atMs, size) * size;
        return List.of(new TimeWindow(start, start + size));
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "ReportWindows(" + size + " ms)";
    }
}
