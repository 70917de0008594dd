package io.flowtap.benchmarks;

import io.flowtap.connectors.parquet.ParquetAvroWriters;
import io.flowtap.flow.FlowLifecycle;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.Sha1;
import io.flowtap.telemetry.FlowJson;
import io.flowtap.telemetry.FlowRows;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rendering one flow's records: its {@code flow} record as JSON (the largest, with everything DPI
 * learnt), its {@code flow_stats} and {@code flow_purge} records, its Parquet row object, and that
 * row written into the flows dataset's column writer (compressed pages and row groups included, the
 * file's bytes discarded). The flows are the captures' flows as the lifecycle leaves them at the
 * end of input, taken in turn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TelemetryBenchmark {
    private FlowState[] flows;
    private FlowRow[] rows;
    private final FlowJson json = new FlowJson();
    private BulkWriter<FlowRow> parquet;
    private int next;
    private int nextRow;

    /** A file that keeps nothing but its length. */
    private static final class Discard extends FSDataOutputStream {
        private long pos;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void write(int b) {
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pos += len;
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {}

        @Override
        public void close() {}
    }

    @Setup
    public void load() {
        FlowLifecycle lifecycle = new FlowLifecycle(FlowSettings.defaults());
        Map<Sha1, FlowState> open = new HashMap<>();
        List<FlowState> all = new ArrayList<>();
        for (PacketEvent e : Captures.events(Captures.decoded(Captures.frames(Captures.all())))) {
            Sha1 digest = e.getFlow().getDigest();
            FlowState before = open.get(digest);
            FlowState flow = lifecycle.onEvent(before, e, FlowLifecycle.Output.NONE);
            if (flow != before && flow != null) {
                all.add(flow); // a new flow, or a new connection on the same ports
            }
            if (flow == null) {
                open.remove(digest);
            } else {
                open.put(digest, flow);
            }
        }
        for (FlowState flow : open.values()) {
            lifecycle.advance(flow, Long.MAX_VALUE, FlowLifecycle.Output.NONE);
        }
        flows = all.toArray(new FlowState[0]);
        rows = new FlowRow[flows.length];
        for (int i = 0; i < flows.length; i++) {
            rows[i] = FlowRows.of(flows[i], flows[i].lastSeenMs, PurgeReason.EXPIRED);
        }
        try {
            parquet =
                    ParquetAvroWriters.forSpecificRecord(FlowRow.class, FlowRows.UNIQUE_COLUMNS)
                            .create(new Discard());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown
    public void close() throws IOException {
        parquet.finish();
    }

    private FlowState nextFlow() {
        if (next == flows.length) {
            next = 0;
        }
        return flows[next++];
    }

    @Benchmark
    public byte[] flow() {
        return json.flow(nextFlow());
    }

    @Benchmark
    public byte[] stats() {
        return json.stats(nextFlow());
    }

    @Benchmark
    public byte[] purge() {
        return json.purge(nextFlow(), PurgeReason.EXPIRED);
    }

    @Benchmark
    public Object row() {
        return FlowRows.of(nextFlow(), 0, PurgeReason.EXPIRED);
    }

    @Benchmark
    public void parquetRow() throws IOException {
        if (nextRow == rows.length) {
            nextRow = 0;
        }
        parquet.addElement(rows[nextRow++]);
    }
}
