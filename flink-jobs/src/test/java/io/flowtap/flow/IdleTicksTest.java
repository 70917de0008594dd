package io.flowtap.flow;

import io.flowtap.schema.PacketEvent;
import io.flowtap.testing.TestEvents;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.flowtap.testing.TestEvents.ACK;
import static io.flowtap.testing.TestEvents.FIN;
import static io.flowtap.testing.TestEvents.SYN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lifecycle without idle ticks (the backfill's chained tracker) sleeps from a flow's last report
 * to the tick at which it would expire, and decides the same records as one that ticks every 15 s.
 * Expected ticks follow from the default settings: 15 s interval, 30 s TTL, 300 s for open TCP.
 */
class IdleTicksTest {
    private static final TestEvents TCP =
            TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 443);
    private static final TestEvents UDP = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);

    /** The records a lifecycle decides and the ticks it runs, in order. */
    private static final class Run implements FlowLifecycle.Output {
        final FlowLifecycle lifecycle;
        final List<String> records = new ArrayList<>();
        final List<Long> ticks = new ArrayList<>();

        Run(boolean idleTicks) {
            lifecycle = new FlowLifecycle(FlowSettings.defaults(), idleTicks);
        }

        FlowState feed(FlowState s, PacketEvent... events) {
            for (PacketEvent e : events) {
                s = lifecycle.onEvent(s, e, this);
            }
            return s;
        }

        /** Fires the flow's timer at each of its next ticks up to {@code until}, as Flink would. */
        FlowState timersUntil(FlowState s, long until) {
            while (s != null && s.nextTickMs <= until) {
                ticks.add(s.nextTickMs);
                s = lifecycle.advance(s, s.nextTickMs, this);
            }
            return s;
        }

        @Override
        public void flow(FlowState f, long t) {
            records.add("flow@" + t);
        }

        @Override
        public void dpiUpdate(FlowState f, long t) {
            records.add("update@" + t);
        }

        @Override
        public void dpiComplete(FlowState f, long t) {
            records.add("complete@" + t);
        }

        @Override
        public void stats(FlowState f, long t) {
            records.add("stats@" + t + " interval=" + f.intervalPackets());
        }

        @Override
        public void purge(FlowState f, long t, PurgeReason r) {
            records.add("purge@" + t + " " + r.json() + " total=" + f.totalPackets());
        }
    }

    @Test
    void openTcpFlowSleepsUntilItsExpiry() {
        Run ticking = new Run(true);
        Run sleeping = new Run(false);
        FlowState a = ticking.feed(null, TCP.client(1_000, 74, SYN, 100, 0, 0));
        FlowState b = sleeping.feed(null, TCP.client(1_000, 74, SYN, 100, 0, 0));
        assertThat(ticking.timersUntil(a, 400_000)).isNull();
        assertThat(sleeping.timersUntil(b, 400_000)).isNull();

        // Stats at 15 s; last seen 1 s + 300 s = 301 s: expiry at the 315 s tick.
        assertThat(sleeping.records)
                .containsExactly(
                        "stats@15000 interval=1",
                        "flow@315000",
                        "complete@315000",
                        "purge@315000 expired total=1");
        assertThat(ticking.records).isEqualTo(sleeping.records);
        assertThat(sleeping.ticks).containsExactly(15_000L, 315_000L);
        assertThat(ticking.ticks).hasSize(21); // 15 s, 30 s, ... 315 s
    }

    @Test
    void packetsWakeASleepingFlowAtTheirTick() {
        Run ticking = new Run(true);
        Run sleeping = new Run(false);
        for (Run r : List.of(ticking, sleeping)) {
            FlowState s = r.feed(null, TCP.client(1_000, 74, SYN, 100, 0, 0));
            s = r.timersUntil(s, 100_000);
            // Asleep until 315 s; a packet at 101 s brings the next tick to 105 s.
            s = r.feed(s, TCP.server(101_000, 74, SYN | ACK, 500, 101, 0));
            assertThat(s.nextTickMs).isEqualTo(105_000);
            s = r.timersUntil(s, 1_000_000);
            assertThat(s).isNull();
        }
        assertThat(sleeping.records)
                .containsExactly(
                        "stats@15000 interval=1",
                        "stats@105000 interval=1",
                        "flow@405000",
                        "complete@405000",
                        "purge@405000 expired total=2");
        assertThat(ticking.records).isEqualTo(sleeping.records);
        assertThat(sleeping.ticks).containsExactly(15_000L, 105_000L, 405_000L);
    }

    @Test
    void closingShortensTheSleep() {
        Run ticking = new Run(true);
        Run sleeping = new Run(false);
        for (Run r : List.of(ticking, sleeping)) {
            FlowState s = r.feed(null, TCP.client(1_000, 74, SYN, 100, 0, 0));
            s = r.timersUntil(s, 20_000);
            s =
                    r.feed(
                            s,
                            TCP.server(21_000, 74, SYN | ACK, 500, 101, 0),
                            TCP.client(21_010, 66, FIN | ACK, 101, 501, 0),
                            TCP.server(21_020, 66, FIN | ACK, 501, 102, 0),
                            TCP.client(21_030, 66, ACK, 102, 502, 0));
            assertThat(s.closing).isTrue();
            assertThat(r.timersUntil(s, 1_000_000)).isNull();
        }
        // Stats at 15 s and 30 s; closed, last seen 21.03 s + 30 s: purged at the 60 s tick.
        assertThat(sleeping.records).last().isEqualTo("purge@60000 closed total=5");
        assertThat(ticking.records).isEqualTo(sleeping.records);
        assertThat(sleeping.ticks).containsExactly(15_000L, 30_000L, 60_000L);
    }

    @Test
    void udpFlowExpiresAtTheSameTick() {
        Run ticking = new Run(true);
        Run sleeping = new Run(false);
        for (Run r : List.of(ticking, sleeping)) {
            FlowState s = r.feed(null, UDP.client(1_000, 80), UDP.server(2_000, 120));
            assertThat(r.timersUntil(s, 100_000)).isNull();
        }
        // Stats at 15 s; last seen 2 s + 30 s = 32 s: expiry at the 45 s tick.
        assertThat(sleeping.records).first().isEqualTo("stats@15000 interval=2");
        assertThat(sleeping.records).last().isEqualTo("purge@45000 expired total=2");
        assertThat(ticking.records).isEqualTo(sleeping.records);
        assertThat(sleeping.ticks).containsExactly(15_000L, 45_000L);
        assertThat(ticking.ticks).containsExactly(15_000L, 30_000L, 45_000L);
    }
}
