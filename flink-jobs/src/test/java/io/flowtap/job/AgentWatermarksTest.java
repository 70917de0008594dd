package io.flowtap.job;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;
import io.flowtap.testing.TestEvents;

import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AgentWatermarksTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
    private static final Duration IDLENESS = Duration.ofSeconds(30);
    private static final long HOLDBACK = 15_000 + 2_000 + 1;

    private final TestEvents flow = TestEvents.udp("192.168.1.2", 5000, "203.0.113.1", 53);
    private final PacketTimestamps timestamps = new PacketTimestamps(HOLDBACK);
    private long wallMs;

    /** The watermarks a generator emits. */
    private static final class Emitted implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        long last() {
            return watermarks.isEmpty() ? Long.MIN_VALUE : watermarks.get(watermarks.size() - 1);
        }
    }

    private PacketEvent packet(String agent, long ms) {
        return PacketEvent.newBuilder(flow.client(ms, 100)).setAgentId(agent).build();
    }

    private static PacketEvent marker(String agent, long lastPacketMs) {
        return PacketEvents.endOfCapture(agent, "eth0", lastPacketMs * 1_000_000L);
    }

    private void feed(WatermarkGenerator<PacketEvent> g, Emitted out, PacketEvent e) {
        g.onEvent(e, timestamps.extractTimestamp(e, Long.MIN_VALUE), out);
        g.onPeriodicEmit(out);
    }

    private static List<Long> increasing(List<Long> watermarks) {
        List<Long> out = new ArrayList<>();
        for (long w : watermarks) {
            if (out.isEmpty() || w > out.get(out.size() - 1)) {
                out.add(w);
            }
        }
        return out;
    }

    /** One agent: what Flink's bounded out-of-orderness generator emits, marker included. */
    @Test
    void oneAgentGetsFlinksWatermarks() {
        WatermarkGenerator<PacketEvent> flink =
                new BoundedOutOfOrdernessWatermarks<>(OUT_OF_ORDERNESS);
        AgentWatermarks ours = new AgentWatermarks(OUT_OF_ORDERNESS, IDLENESS, () -> wallMs);
        Emitted expected = new Emitted();
        Emitted actual = new Emitted();
        Random random = new Random(7);
        long t = 1_000_000;
        for (int i = 0; i < 2_000; i++) {
            t += random.nextInt(50) - 10; // a little out of order now and then
            PacketEvent e = packet("edge-a", t);
            feed(flink, expected, e);
            feed(ours, actual, e);
        }
        feed(flink, expected, marker("edge-a", t));
        feed(ours, actual, marker("edge-a", t));

        // Flink's generator repeats an unchanged watermark, which its source output drops.
        assertThat(actual.watermarks).isEqualTo(increasing(expected.watermarks));
        assertThat(actual.last()).isEqualTo(t + HOLDBACK - 2_000 - 1);
    }

    /**
     * Two agents in one partition, the second a little behind: the first one's marker does not make
     * the second's packets late; the second one's marker ends both.
     */
    @Test
    void anAgentThatEndsDoesNotRunAheadOfOneStillSending() {
        AgentWatermarks g = new AgentWatermarks(OUT_OF_ORDERNESS, IDLENESS, () -> wallMs);
        Emitted out = new Emitted();
        for (long t = 10_000; t <= 20_000; t += 100) {
            feed(g, out, packet("edge-a", t));
            feed(g, out, packet("edge-b", t - 500));
        }
        feed(g, out, marker("edge-a", 20_000));

        assertThat(out.last()).isEqualTo(19_500 - 2_000 - 1);
        feed(g, out, packet("edge-b", 19_600));
        feed(g, out, packet("edge-b", 20_000));
        assertThat(out.last())
                .as("edge-b's last packets are not late")
                .isEqualTo(20_000 - 2_000 - 1);

        feed(g, out, marker("edge-b", 20_000));
        assertThat(out.last()).isEqualTo(20_000 + HOLDBACK - 2_000 - 1);
    }

    /** An agent silent for the idleness timeout no longer holds the partition back. */
    @Test
    void aSilentAgentStopsHoldingTheWatermarkBack() {
        AgentWatermarks g = new AgentWatermarks(OUT_OF_ORDERNESS, IDLENESS, () -> wallMs);
        Emitted out = new Emitted();
        feed(g, out, packet("edge-a", 10_000));
        feed(g, out, packet("edge-b", 50_000));
        assertThat(out.last()).isEqualTo(10_000 - 2_000 - 1);

        wallMs += IDLENESS.toMillis() - 1;
        feed(g, out, packet("edge-b", 50_100));
        assertThat(out.last()).isEqualTo(10_000 - 2_000 - 1);

        wallMs += 1;
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(50_100 - 2_000 - 1);

        feed(g, out, packet("edge-a", 50_200)); // back, and counted again
        feed(g, out, packet("edge-b", 60_000));
        assertThat(out.last()).isEqualTo(50_200 - 2_000 - 1);
    }

    /** A new run of an agent after its marker counts as sending again. */
    @Test
    void packetsAfterAMarkerAreANewRun() {
        AgentWatermarks g = new AgentWatermarks(OUT_OF_ORDERNESS, Duration.ZERO, () -> wallMs);
        Emitted out = new Emitted();
        feed(g, out, packet("edge-a", 10_000));
        feed(g, out, packet("edge-b", 10_000));
        feed(g, out, marker("edge-b", 10_000));
        feed(g, out, packet("edge-b", 40_000));
        feed(g, out, packet("edge-a", 12_000));

        assertThat(out.last()).isEqualTo(12_000 - 2_000 - 1);
    }
}
