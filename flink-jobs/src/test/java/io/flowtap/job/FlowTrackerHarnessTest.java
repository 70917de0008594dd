package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowSettings;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;
import io.flowtap.testing.TestEvents;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static io.flowtap.testing.TestEvents.ACK;
import static io.flowtap.testing.TestEvents.FIN;
import static io.flowtap.testing.TestEvents.SYN;
import static org.assertj.core.api.Assertions.assertThat;

/** The tracker inside Flink's operator harness: records, timers and keyed state. */
class FlowTrackerHarnessTest {
    private static KeyedBroadcastOperatorTestHarness<
                    String, PacketEvent, TrackerControl, TelemetryRecord>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new FlowTracker(FlowSettings.defaults()),
                new FlowKeySelector(),
                Types.STRING,
                FlowTracker.ENDED_AGENTS,
                FlowTracker.FEEDS);
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<String, PacketEvent, TrackerControl, TelemetryRecord>
                    h,
            PacketEvent e)
            throws Exception {
        h.processElement(e, e.getPackets().get(0).getTsNs() / 1_000_000L);
    }

    private static List<String> types(
            KeyedBroadcastOperatorTestHarness<String, PacketEvent, TrackerControl, TelemetryRecord>
                    h) {
        return h.extractOutputValues().stream().map(r -> r.type).collect(Collectors.toList());
    }

    /** Both inputs at {@code ms}, as in a job, where the markers come off the same source. */
    private static void watermark(
            KeyedBroadcastOperatorTestHarness<String, PacketEvent, TrackerControl, TelemetryRecord>
                    h,
            long ms)
            throws Exception {
        h.processWatermark(ms);
        h.processBroadcastWatermark(ms);
    }

    /** Entries in the heap keyed state backend (the harness's default). */
    private static int keyedStateEntries(
            KeyedBroadcastOperatorTestHarness<String, PacketEvent, TrackerControl, TelemetryRecord>
                    h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    private static PacketEvent ofAgent(String agent, PacketEvent e) {
        return PacketEvent.newBuilder(e).setAgentId(agent).build();
    }

    /**
     * A packet behind the watermark is not dropped: the flow's counters take it, and the usage the
     * aggregators and endpoints read reports it in the interval the watermark is in (the windows of
     * its own interval have fired). So late packets shift into a later interval and no total loses
     * them.
     */
    @Test
    void latePacketsCountInTheIntervalTheTrackerIsAt() throws Exception {
        var h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new FlowTracker(FlowSettings.defaults().toBuilder().usage(true).build()),
                        new FlowKeySelector(),
                        Types.STRING,
                        FlowTracker.ENDED_AGENTS,
                        FlowTracker.FEEDS);
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        send(h, udp.client(1_000, 80));
        send(h, udp.server(1_010, 120));
        watermark(h, 15_000);
        // 3 s after its time, behind the 15 s watermark: late.
        send(h, udp.client(12_000, 90));
        send(h, udp.server(16_000, 130));
        watermark(h, 30_000);
        // Bytes per reported interval end: the late packet's 90 bytes land in [15 s, 30 s).
        java.util.Map<Long, Long> byEnd = new java.util.TreeMap<>();
        for (var r : h.getSideOutput(FlowTracker.FLOW_USAGE)) {
            var u = r.getValue();
            assertThat(u.endMs - u.startMs).isEqualTo(15_000);
            byEnd.merge(u.endMs, u.localBytes + u.otherBytes, Long::sum);
        }
        assertThat(byEnd)
                .containsExactly(
                        java.util.Map.entry(15_000L, 80L + 120L),
                        java.util.Map.entry(30_000L, 90L + 130L));
        h.close();
    }

    @Test
    void endOfCaptureEndsThatAgentsFlowsOnly() throws Exception {
        var h = harness();
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40001, "93.184.216.34", 443);
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        send(h, ofAgent("a", tcp.client(1_000, 74, SYN, 100, 0, 0)));
        send(h, ofAgent("b", udp.client(1_010, 80)));
        watermark(h, 2_000);
        // Agent a's last packet was at 1.5 s, behind the watermark: its flow ends now, as at the
        // end of input (at the first 15 s tick after the TCP idle timeout of 300 s, 315 s),
        // without waiting for it.
        h.processBroadcastElement(
                TrackerControl.endOfCapture(PacketEvents.endOfCapture("a", "eth0", 1_500_000_000L)),
                2_000);
        // The same records as at the end of input: the pending stats of the 1 s interval, the
        // flow record by port guess, and the purge.
        assertThat(types(h))
                .containsExactly("flow_stats", "flow", "flow_dpi_complete", "flow_purge");
        assertThat(h.extractOutputValues().get(3).timestamp).isEqualTo(315_000);
        assertThat(keyedStateEntries(h)).isEqualTo(1); // agent b's flow lives on
        watermark(h, Long.MAX_VALUE);
        assertThat(keyedStateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void endOfCaptureAheadOfTheWatermarkWaitsForTheNextTick() throws Exception {
        var h = harness();
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40001, "93.184.216.34", 443);
        send(h, ofAgent("a", tcp.client(1_000, 74, SYN, 100, 0, 0)));
        h.processBroadcastElement(
                TrackerControl.endOfCapture(PacketEvents.endOfCapture("a", "eth0", 1_000_000_000L)),
                1_000);
        assertThat(types(h)).isEmpty();
        // The 15 s tick: the watermark has passed the end, so the flow ends instead of ticking.
        watermark(h, 15_000);
        assertThat(types(h))
                .containsExactly("flow_stats", "flow", "flow_dpi_complete", "flow_purge");
        assertThat(keyedStateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void timersAndStateReturnToZeroWhenFlowsEnd() throws Exception {
        var h = harness();
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40001, "93.184.216.34", 443);
        send(h, udp.client(1_000, 80));
        send(h, udp.server(1_010, 120));
        send(h, tcp.client(1_020, 74, SYN, 100, 0, 0));
        send(h, tcp.server(1_030, 74, SYN | ACK, 500, 101, 0));
        send(h, tcp.client(1_040, 66, FIN | ACK, 101, 501, 0));
        send(h, tcp.server(1_050, 66, FIN | ACK, 501, 102, 0));
        send(h, tcp.client(1_060, 66, ACK, 102, 502, 0));

        assertThat(keyedStateEntries(h)).isEqualTo(2);
        assertThat(h.numEventTimeTimers()).isEqualTo(2);
        // No payload: DPI has nothing to say yet, so no flow record.
        assertThat(types(h)).isEmpty();

        // The 15 s tick: stats for both; the timers move to their expiry ticks.
        watermark(h, 15_000);
        assertThat(types(h)).containsExactly("flow_stats", "flow_stats");
        assertThat(h.numEventTimeTimers()).isEqualTo(2);

        // Both were last seen at ~1 s and are short-TTL (UDP, closed TCP): at 45 s inspection
        // ends (flow record by port guess), then the purge.
        watermark(h, 45_000);
        assertThat(types(h))
                .containsExactly(
                        "flow_stats",
                        "flow_stats",
                        "flow",
                        "flow_dpi_complete",
                        "flow_purge",
                        "flow",
                        "flow_dpi_complete",
                        "flow_purge");
        assertThat(keyedStateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        List<FlowRow> rows =
                h.getSideOutput(FlowTracker.FLOW_ROWS).stream()
                        .map(StreamRecord::getValue)
                        .collect(Collectors.toList());
        assertThat(rows).hasSize(2);
        assertThat(rows)
                .extracting(FlowRow::getPurgeReason)
                .containsExactlyInAnyOrder("expired", "closed");
        h.close();
    }

    @Test
    void endOfInputPurgesEverythingAndLeavesNothingBehind() throws Exception {
        var h = harness();
        for (int i = 0; i < 50; i++) {
            TestEvents tcp = TestEvents.tcp("192.168.1.10", 30000 + i, "93.184.216.34", 443);
            send(h, tcp.client(1_000 + i, 74, SYN, 1, 0, 0));
        }
        assertThat(keyedStateEntries(h)).isEqualTo(50);
        watermark(h, Long.MAX_VALUE);
        long purges = types(h).stream().filter("flow_purge"::equals).count();
        assertThat(purges).isEqualTo(50);
        assertThat(keyedStateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void latePacketsAfterAPurgeStartANewFlow() throws Exception {
        var h = harness();
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        send(h, udp.client(1_000, 80));
        watermark(h, 100_000);
        send(h, udp.client(2_000, 80)); // behind the watermark
        assertThat(types(h))
                .containsExactly("flow_stats", "flow", "flow_dpi_complete", "flow_purge");
        assertThat(keyedStateEntries(h)).isEqualTo(1);
        watermark(h, Long.MAX_VALUE);
        assertThat(keyedStateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    private static FlowSettings torRelayOn(String address) throws Exception {
        io.flowtap.intel.IntelDriver d = io.flowtap.intel.IntelDriver.TOR_RELAY;
        return FlowSettings.defaults().toBuilder()
                .indicators(
                        List.of(
                                new io.flowtap.intel.Indicator(
                                        "relay",
                                        d,
                                        d.category(),
                                        d.score(),
                                        0,
                                        0,
                                        true,
                                        true,
                                        io.flowtap.expr.Criteria.ALL,
                                        List.of(
                                                io.flowtap.intel.Feed.parse(
                                                        "relays", "feeds/relays.txt", address)),
                                        java.util.EnumSet.of(io.flowtap.intel.IntelEvent.FLOW_NEW),
                                        d.criteria())))
                .build();
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, PacketEvent, TrackerControl, TelemetryRecord>
            harness(FlowSettings settings) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new FlowTracker(settings),
                new FlowKeySelector(),
                Types.STRING,
                FlowTracker.ENDED_AGENTS,
                FlowTracker.FEEDS);
    }

    private static long intelRecords(
            KeyedBroadcastOperatorTestHarness<String, PacketEvent, TrackerControl, TelemetryRecord>
                    h) {
        return h.extractOutputValues().stream().filter(r -> r.type.equals("intel:relay")).count();
    }

    /**
     * A feed version on the broadcast input replaces the one the job started with for the flows
     * that follow, and survives a restore from a snapshot in the broadcast state.
     */
    @Test
    void aNewFeedVersionComesIntoForceAndSurvivesARestore() throws Exception {
        FlowSettings settings = torRelayOn("8.8.8.8\n");
        var h = harness(settings);
        send(h, TestEvents.udp("192.168.1.10", 40000, "9.9.9.9", 53).client(1_000, 80));
        assertThat(intelRecords(h)).isZero();
        h.processBroadcastElement(
                TrackerControl.feed(
                        new io.flowtap.intel.FeedUpdate(
                                "relays", "feeds/relays.txt", "# moved\n9.9.9.0/24\n")),
                1_100);
        send(h, TestEvents.udp("192.168.1.10", 40001, "9.9.9.9", 53).client(1_200, 80));
        assertThat(intelRecords(h)).isEqualTo(1);
        send(h, TestEvents.udp("192.168.1.10", 40002, "8.8.8.8", 53).client(1_300, 80));
        assertThat(intelRecords(h)).isEqualTo(1);
        var snapshot = h.snapshot(1, 1_400);
        h.close();

        var restored =
                new KeyedBroadcastOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.co
                                .CoBroadcastWithKeyedOperator<>(
                                new FlowTracker(settings),
                                List.of(FlowTracker.ENDED_AGENTS, FlowTracker.FEEDS)),
                        new FlowKeySelector(),
                        Types.STRING,
                        128,
                        1,
                        0);
        restored.initializeState(snapshot);
        restored.open();
        send(restored, TestEvents.udp("192.168.1.10", 40003, "9.9.9.9", 53).client(2_000, 80));
        assertThat(intelRecords(restored)).isEqualTo(1);
        send(restored, TestEvents.udp("192.168.1.10", 40004, "8.8.8.8", 53).client(2_100, 80));
        assertThat(intelRecords(restored)).isEqualTo(1);
        restored.close();
    }
}
