package io.flowtap.stats;

import io.flowtap.job.FieldTimeWindows;

import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Update intervals aligned to the epoch that take each interface's totals by the time {@link
 * OnTimeReports} gave them, rather than by the record's timestamp.
 */
final class ReportWindows extends FieldTimeWindows {
    private static final long serialVersionUID = 1L;

    ReportWindows(long sizeMs) {
        super(sizeMs);
    }

    @Override
    protected TimeWindow windowOf(Object element) {
        long start = Math.floorDiv(((InterfaceTotals) element).atMs, size) * size;
        return new TimeWindow(start, start + size);
    }
}
