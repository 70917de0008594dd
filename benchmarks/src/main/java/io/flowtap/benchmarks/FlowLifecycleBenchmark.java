package io.flowtap.benchmarks;

import io.flowtap.flow.FlowLifecycle;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.Sha1;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The flow tracker's work per packet event without Flink: counting, ticks, DPI with every
 * dissector, the application catalog and risks, over the captures' events one at a time (the flows
 * start afresh each time the captures wrap around). Records are decided, not rendered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlowLifecycleBenchmark {
    private PacketEvent[] events;
    private final FlowLifecycle lifecycle = new FlowLifecycle(FlowSettings.defaults());
    private final Map<Sha1, FlowState> flows = new HashMap<>();
    private final Counting out = new Counting();
    private int next;

    /** Counts the decisions, so that none can be optimised away. */
    static final class Counting implements FlowLifecycle.Output {
        long records;

        @Override
        public void flow(FlowState flow, long timeMs) {
            records++;
        }

        @Override
        public void dpiUpdate(FlowState flow, long timeMs) {
            records++;
        }

        @Override
        public void dpiComplete(FlowState flow, long timeMs) {
            records++;
        }

        @Override
        public void stats(FlowState flow, long timeMs) {
            records++;
        }

        @Override
        public void purge(FlowState flow, long timeMs, PurgeReason reason) {
            records++;
        }
    }

    @Setup
    public void load() {
        events =
                Captures.events(Captures.decoded(Captures.frames(Captures.all())))
                        .toArray(new PacketEvent[0]);
    }

    @Benchmark
    public long onEvent() {
        if (next == events.length) {
            next = 0;
            flows.clear();
        }
        PacketEvent e = events[next++];
        Sha1 digest = e.getFlow().getDigest();
        FlowState flow = lifecycle.onEvent(flows.get(digest), e, out);
        if (flow == null) {
            flows.remove(digest);
        } else {
            flows.put(digest, flow);
        }
        return out.records;
    }
}
