package io.flowtap.cli;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.Scheduled;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Flink metric reporter inside the command line's embedded cluster: sums the job's flowtap
 * metrics over all subtasks, prints progress to stderr while a long job runs, and keeps the final
 * values (including capture file errors) for the summary. Values of finished subtasks are kept when
 * their metrics are removed.
 */
public final class ProgressReporter implements MetricReporter, Scheduled {
    static final String RUN_ID = "run";
    static final String PRINT = "print";

    private static final Map<String, ProgressReporter> RUNS = new ConcurrentHashMap<>();
    private static final Set<String> TRACKED =
            Set.of(
                    Metrics.FRAMES,
                    Metrics.PACKETS,
                    Metrics.WIRE_BYTES,
                    Metrics.DISCARDED,
                    Metrics.NOT_IP,
                    Metrics.FLOWS,
                    Metrics.PURGED,
                    Metrics.LATE,
                    Metrics.FLOW_PACKETS,
                    Metrics.EVENTS,
                    Metrics.MALFORMED,
                    Metrics.FILE_ERRORS);

    private final Map<Metric, String> live = new IdentityHashMap<>();
    private final Map<String, Long> finished = new HashMap<>();
    private final List<String> errors = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private PrintStream out = System.err;
    private boolean print;
    private String runId;
    private long startNanos;
    private long lastPackets;
    private long lastReportNanos;

    /** Finds the reporter of a run once Flink has created it. */
    static ProgressReporter forRun(String runId) {
        return RUNS.get(runId);
    }

    @Override
    public void open(MetricConfig config) {
        runId = config.getString(RUN_ID, "");
        print = Boolean.parseBoolean(config.getString(PRINT, "true"));
        startNanos = System.nanoTime();
        lastReportNanos = startNanos;
        RUNS.put(runId, this);
    }

    @Override
    public void close() {
        closed.countDown();
    }

    /** Waits until the cluster has shut down and every metric was handed back. */
    boolean awaitClosed(long timeoutMillis) throws InterruptedException {
        return closed.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (TRACKED.contains(name)) {
            live.put(metric, name);
        }
    }

    @Override
    public synchronized void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        if (live.remove(metric) == null) {
            return;
        }
        if (Metrics.FILE_ERRORS.equals(name)) {
            Object v = ((Gauge<?>) metric).getValue();
            if (v != null && !v.toString().isEmpty()) {
                for (String line : v.toString().split("\n")) {
                    errors.add(line);
                }
            }
            return;
        }
        finished.merge(name, value(metric), Long::sum);
    }

    private static long value(Metric m) {
        if (m instanceof Counter) {
            return ((Counter) m).getCount();
        }
        if (m instanceof Gauge) {
            Object v = ((Gauge<?>) m).getValue();
            return v instanceof Number ? ((Number) v).longValue() : 0;
        }
        return 0;
    }

    /** Current totals over finished and running subtasks. */
    synchronized Map<String, Long> totals() {
        Map<String, Long> t = new HashMap<>(finished);
        for (Map.Entry<Metric, String> e : live.entrySet()) {
            if (!Metrics.FILE_ERRORS.equals(e.getValue())) {
                t.merge(e.getValue(), value(e.getKey()), Long::sum);
            }
        }
        return t;
    }

    synchronized List<String> fileErrors() {
        List<String> all = new ArrayList<>(errors);
        for (Map.Entry<Metric, String> e : live.entrySet()) {
            if (Metrics.FILE_ERRORS.equals(e.getValue())) {
                Object v = ((Gauge<?>) e.getKey()).getValue();
                if (v != null && !v.toString().isEmpty()) {
                    all.addAll(List.of(v.toString().split("\n")));
                }
            }
        }
        return all;
    }

    @Override
    public void report() {
        if (!print) {
            return;
        }
        long now = System.nanoTime();
        // Short runs print only their summary.
        if (now - startNanos < TimeUnit.SECONDS.toNanos(3)) {
            return;
        }
        Map<String, Long> t = totals();
        // Frames as read from files in a backfill; packets reaching the flow tracker otherwise.
        long packets = t.getOrDefault(Metrics.FRAMES, t.getOrDefault(Metrics.FLOW_PACKETS, 0L));
        double seconds = (now - lastReportNanos) / 1e9;
        double rate = seconds > 0 ? (packets - lastPackets) / seconds : 0;
        lastPackets = packets;
        lastReportNanos = now;
        out.printf(
                Locale.ROOT,
                "flowtap: %,d packets read, %,d flows, %,d purged, %,.0f packets/s%n",
                packets,
                t.getOrDefault(Metrics.FLOWS, 0L),
                t.getOrDefault(Metrics.PURGED, 0L),
                rate);
    }

    void forget() {
        RUNS.remove(runId);
    }
}
