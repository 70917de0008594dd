package io.flowtap.intel;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upload volume of one local address against its own recent past: a window fires when the bytes the
 * address sent in it reach {@code min_upload} and {@code factor} times its mean over the {@code
 * history} windows before (windows it sent nothing in count as zero). An address fires only once it
 * has that much history; the record names the flow that uploaded most in the window.
 */
final class UploadAnomalyDetector extends WindowDetector {
    private static final long serialVersionUID = 1L;

    /** Per address, across windows. */
    private static final ValueStateDescriptor<UploadHistory> HISTORY =
            new ValueStateDescriptor<>("upload-history", TypeInformation.of(UploadHistory.class));

    private final long windowMs;
    private final int history;
    private final long factor;
    private final long minUpload;

    UploadAnomalyDetector(Indicator indicator, ObservationWindows windows) {
        super(indicator, windows);
        this.windowMs = indicator.windowMs();
        this.history = (int) indicator.number("history");
        this.factor = indicator.number("factor");
        this.minUpload = indicator.number("min_upload");
    }

    @Override
    protected IntelObservation decide(
            List<IntelObservation> sorted, ObjectNode evidence, Context context) throws Exception {
        // The same flow reports once per update interval: sum per flow, then take the largest
        // (ties to the lowest digest).
        long total = 0;
        Map<String, Long> byFlow = new HashMap<>();
        for (IntelObservation o : sorted) {
            total += o.localBytes;
            byFlow.merge(o.digest, o.localBytes, Long::sum);
        }
        IntelObservation largest = null;
        for (IntelObservation o : sorted) {
            if (largest == null || compareUploads(o, largest, byFlow) > 0) {
                largest = o;
            }
        }
        ValueState<UploadHistory> state = context.globalState().getState(HISTORY);
        UploadHistory h = state.value();
        long start = windowStart(context);
        if (h == null) {
            h = UploadHistory.empty(history, start - windowMs);
        }
        h.skipTo(start, windowMs);
        boolean known = h.windows >= history;
        double baseline = h.mean();
        h.add(total);
        h.lastStartMs = start;
        state.update(h);
        if (!known || total < minUpload || total < factor * baseline) {
            return null;
        }
        evidence.put("local_ip", largest.localIp)
                .put("upload", total)
                .put("baseline", Math.round(baseline));
        return largest;
    }

    private static int compareUploads(
            IntelObservation a, IntelObservation b, Map<String, Long> byFlow) {
        int c = Long.compare(byFlow.get(a.digest), byFlow.get(b.digest));
        return c != 0 ? c : b.digest.compareTo(a.digest);
    }

    /** The bytes of an address's most recent windows, a ring. Flink POJO. */
    public static class UploadHistory {
        public long[] totals;
        public int next;

        /** Windows recorded since the first, up to the ring's size. */
        public int windows;

        /** Start of the last window recorded, in ms. */
        public long lastStartMs;

        public UploadHistory() {}

        static UploadHistory empty(int size, long lastStartMs) {
            UploadHistory h = new UploadHistory();
            h.totals = new long[size];
            h.lastStartMs = lastStartMs;
            return h;
        }

        /** Records zeros for the windows between the last one and {@code startMs}. */
        void skipTo(long startMs, long windowMs) {
            long gaps = (startMs - lastStartMs) / windowMs - 1;
            for (long i = 0; i < Math.min(gaps, totals.length); i++) {
                add(0);
            }
        }

        void add(long total) {
            totals[next] = total;
            next = (next + 1) % totals.length;
            windows = Math.min(windows + 1, totals.length);
        }

        double mean() {
            if (windows == 0) {
                return 0;
            }
            long sum = 0;
            for (long t : totals) {
                sum += t;
            }
            return (double) sum / windows;
        }
    }
}
