package io.flowtap.job;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowSettings;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.PacketEvent;
import io.flowtap.testing.TestEvents;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.flowtap.testing.TestEvents.ACK;
import static io.flowtap.testing.TestEvents.FIN;
import static io.flowtap.testing.TestEvents.SYN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracker with a flow table of its own against the one on Flink's keyed state and timers
 * ({@link ChainedFlowTracker}): the same records with the same timestamps, flow by flow, and the
 * same side outputs, through ticks, expiries, closes, late packets and the end of input; and a
 * restore from a snapshot that goes on as if nothing had happened.
 */
class TableFlowTrackerTest {
    private static final FlowSettings SETTINGS =
            FlowSettings.defaults().toBuilder().usage(true).build();

    /** One step of a script: an event, or a watermark when {@code event} is null. */
    private record Step(PacketEvent event, long ms) {}

    /** Thirty flows of three kinds, interleaved, with watermarks between and a late packet. */
    private static List<Step> script() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long t = 1_000 + i * 700L;
            TestEvents udp = TestEvents.udp("192.168.1.10", 40000 + i, "8.8.8.8", 53);
            TestEvents open = TestEvents.tcp("192.168.1.11", 41000 + i, "93.184.216.34", 443);
            TestEvents closed = TestEvents.tcp("192.168.1.12", 42000 + i, "93.184.216.34", 80);
            steps.add(new Step(udp.client(t, 80), t));
            steps.add(new Step(open.client(t + 1, 74, SYN, 100, 0, 0), t + 1));
            steps.add(new Step(closed.client(t + 2, 74, SYN, 100, 0, 0), t + 2));
            steps.add(new Step(udp.server(t + 10, 120), t + 10));
            steps.add(new Step(open.server(t + 11, 74, SYN | ACK, 500, 101, 0), t + 11));
            steps.add(new Step(closed.server(t + 12, 74, SYN | ACK, 500, 101, 0), t + 12));
            steps.add(new Step(open.client(t + 20, 566, ACK, 101, 501, 500), t + 20));
            steps.add(new Step(closed.client(t + 21, 66, FIN | ACK, 101, 501, 0), t + 21));
            steps.add(new Step(closed.server(t + 22, 66, FIN | ACK, 501, 102, 0), t + 22));
            if (i == 4) {
                steps.add(new Step(null, 20_000));
            }
            if (i == 6) {
                // Behind the 20 s watermark: late, into the interval the tracker is at.
                steps.add(new Step(udp.client(5_000, 90), 5_000));
                steps.add(new Step(null, 40_000));
            }
        }
        TestEvents again = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        steps.add(new Step(again.client(100_000, 80), 100_000));
        steps.add(new Step(null, 200_000));
        steps.add(new Step(null, 400_000));
        steps.add(new Step(null, Long.MAX_VALUE));
        return steps;
    }

    /** What a tracker wrote: each flow's records in order, and the side outputs, sorted. */
    private record Written(
            Map<String, List<String>> byFlow, List<String> rows, List<String> usage) {}

    private static void play(
            AbstractStreamOperatorTestHarness<TelemetryRecord> h,
            StepInput in,
            List<Step> steps,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            Step s = steps.get(i);
            if (s.event() == null) {
                in.watermark(s.ms());
            } else {
                in.element(s.event(), s.ms());
            }
        }
    }

    private interface StepInput {
        void element(PacketEvent e, long ms) throws Exception;

        void watermark(long ms) throws Exception;
    }

    private static Written written(AbstractStreamOperatorTestHarness<TelemetryRecord> h) {
        return written(
                new ArrayList<>(h.getOutput()),
                sideOutput(h, FlowTracker.FLOW_ROWS),
                sideOutput(h, FlowTracker.FLOW_USAGE));
    }

    private static Written written(
            List<Object> output,
            List<StreamRecord<FlowRow>> flowRows,
            List<StreamRecord<FlowUsage>> flowUsage) {
        Map<String, List<String>> byFlow = new TreeMap<>();
        for (Object o : output) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof TelemetryRecord t) {
                byFlow.computeIfAbsent(t.key, k -> new ArrayList<>())
                        .add(r.getTimestamp() + " " + t.type + " " + t.jsonString());
            }
        }
        List<String> rows = new ArrayList<>();
        for (StreamRecord<FlowRow> r : flowRows) {
            rows.add(r.getTimestamp() + " " + r.getValue());
        }
        rows.sort(null);
        List<String> usage = new ArrayList<>();
        for (StreamRecord<FlowUsage> r : flowUsage) {
            FlowUsage u = r.getValue();
            usage.add(
                    String.join(
                            " ",
                            Long.toString(r.getTimestamp()),
                            u.digest,
                            Long.toString(u.startMs),
                            Long.toString(u.endMs),
                            Long.toString(u.localBytes),
                            Long.toString(u.otherBytes),
                            Long.toString(u.localPackets),
                            Long.toString(u.otherPackets)));
        }
        usage.sort(null);
        return new Written(byFlow, rows, usage);
    }

    private static <X> List<StreamRecord<X>> sideOutput(
            AbstractStreamOperatorTestHarness<TelemetryRecord> h,
            org.apache.flink.util.OutputTag<X> tag) {
        var records = h.getSideOutput(tag);
        return records == null ? new ArrayList<>() : new ArrayList<>(records);
    }

    private static Written keyed(List<Step> steps) throws Exception {
        var h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ChainedFlowTracker(SETTINGS), new FlowKeySelector(), Types.STRING);
        play(h, input(h), steps, 0, steps.size());
        Written w = written(h);
        h.close();
        return w;
    }

    private static OneInputStreamOperatorTestHarness<PacketEvent, TelemetryRecord> table()
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new TableFlowTracker(SETTINGS));
    }

    private static StepInput input(OneInputStreamOperatorTestHarness<PacketEvent, ?> h) {
        return new StepInput() {
            @Override
            public void element(PacketEvent e, long ms) throws Exception {
                h.processElement(e, ms);
            }

            @Override
            public void watermark(long ms) throws Exception {
                h.processWatermark(new Watermark(ms));
            }
        };
    }

    @Test
    void writesWhatTheKeyedTrackerWrites() throws Exception {
        List<Step> steps = script();
        Written expected = keyed(steps);
        // Its 30 flows and the one of the packet at 100 s, which comes long after the first UDP
        // flow of its ports went idle (a new flow), end in every way the lifecycle knows.
        assertThat(expected.rows())
                .hasSize(31)
                .anyMatch(r -> r.contains("\"expired\""))
                .anyMatch(r -> r.contains("\"closed\""));

        var h = table();
        h.open();
        play(h, input(h), steps, 0, steps.size());
        Written actual = written(h);
        TableFlowTracker tracker = (TableFlowTracker) h.getOperator();
        assertThat(tracker.openFlows()).isZero();
        h.close();

        assertThat(actual.byFlow()).isEqualTo(expected.byFlow());
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.usage()).isEqualTo(expected.usage());
    }

    /** The watermark goes on downstream after the timers it made due. */
    @Test
    void forwardsWatermarksAfterTheRecordsTheyRelease() throws Exception {
        var h = table();
        h.open();
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        h.processElement(udp.client(1_000, 80), 1_000);
        h.processWatermark(new Watermark(15_000));
        List<Object> out = new ArrayList<>(h.getOutput());
        // The 15 s tick's stats, stamped with the tick's time, then the watermark.
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(StreamRecord.class);
        var stats = (StreamRecord<?>) out.get(0);
        assertThat(((TelemetryRecord) stats.getValue()).type).isEqualTo("flow_stats");
        assertThat(stats.getTimestamp()).isEqualTo(15_000);
        assertThat(out.get(1)).isEqualTo(new Watermark(15_000));
        h.close();
    }

    @Test
    void aRestoreFromASnapshotGoesOnAsIfUninterrupted() throws Exception {
        List<Step> steps = script();
        Written expected = keyed(steps);
        int cut = steps.indexOf(steps.stream().filter(s -> s.ms() == 40_000).findFirst().get());

        var first = table();
        first.open();
        play(first, input(first), steps, 0, cut);
        assertThat(((TableFlowTracker) first.getOperator()).openFlows()).isPositive();
        OperatorSubtaskState snapshot = first.snapshot(1, 30_000);
        List<Object> before = new ArrayList<>(first.getOutput());
        var beforeRows = sideOutput(first, FlowTracker.FLOW_ROWS);
        var beforeUsage = sideOutput(first, FlowTracker.FLOW_USAGE);
        first.close();

        var second = table();
        second.initializeState(snapshot);
        second.open();
        play(second, input(second), steps, cut, steps.size());
        // The records of both halves, as one run would have written them.
        before.addAll(second.getOutput());
        beforeRows.addAll(sideOutput(second, FlowTracker.FLOW_ROWS));
        beforeUsage.addAll(sideOutput(second, FlowTracker.FLOW_USAGE));
        Written actual = written(before, beforeRows, beforeUsage);
        second.close();

        assertThat(actual.byFlow()).isEqualTo(expected.byFlow());
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.usage()).isEqualTo(expected.usage());
    }
}
