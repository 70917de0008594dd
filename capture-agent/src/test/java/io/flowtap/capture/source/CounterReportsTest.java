package io.flowtap.capture.source;

import io.flowtap.capture.decode.DecoderCounters;
import io.flowtap.schema.InterfaceCounters;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Cutting a decoder's running counts into per-interval reports, with hand-made counts. */
class CounterReportsTest {
    private static final long S = 1_000_000_000L;

    /** What a decoder would have counted after one frame of {@code length} bytes. */
    private static void count(DecoderCounters c, long length, boolean tcp) {
        c.raw++;
        c.wireBytes += length;
        c.largestBytes = Math.max(c.largestBytes, length);
        if (tcp) {
            c.ip++;
            c.ipBytes += length;
            c.tcp++;
        }
    }

    @Test
    void aFrameInALaterIntervalReleasesTheReportOfTheOneBefore() {
        DecoderCounters c = new DecoderCounters();
        CounterReports reports = new CounterReports("a", 10 * S, c, null);
        assertThat(reports.frame("eth0", 100 * S + 1, 1514)).isNull();
        count(c, 1514, true);
        assertThat(reports.frame("eth0", 109 * S, 60)).isNull();
        count(c, 60, false);
        PacketEvent first = reports.frame("eth0", 110 * S, 200);
        count(c, 200, true);
        assertThat(PacketEvents.isCounters(first)).isTrue();
        InterfaceCounters r = first.getCounters();
        assertThat(r.getUntilNs()).isEqualTo(109 * S);
        assertThat(PacketEvents.timestampMs(first)).isEqualTo(109_000L);
        assertThat(r.getRaw()).isEqualTo(2);
        assertThat(r.getIp()).isEqualTo(1);
        assertThat(r.getWireBytes()).isEqualTo(1574);
        assertThat(r.getLargestBytes()).isEqualTo(1514);
        assertThat(first.getInterface$()).isEqualTo("eth0");
        // Frames of the next interval follow in the last report, with their own largest frame.
        PacketEvent last = reports.flush();
        assertThat(last.getCounters().getRaw()).isEqualTo(1);
        assertThat(last.getCounters().getLargestBytes()).isEqualTo(200);
        assertThat(last.getCounters().getUntilNs()).isEqualTo(110 * S);
        assertThat(reports.flush()).as("nothing counted since").isNull();
    }

    @Test
    void nothingToReportWithoutFramesAndIntervalsWithoutFramesAreSkipped() {
        DecoderCounters c = new DecoderCounters();
        CounterReports reports = new CounterReports("a", S, c, null);
        assertThat(reports.flush()).isNull();
        reports.frame("eth0", 5 * S, 100);
        count(c, 100, true);
        PacketEvent r = reports.frame("eth0", 9 * S, 100);
        assertThat(r.getCounters().getRaw()).isEqualTo(1);
        // A frame going back in time is counted in the interval at hand.
        count(c, 100, true);
        assertThat(reports.frame("eth0", 8 * S, 100)).isNull();
        count(c, 100, true);
        assertThat(reports.flush().getCounters().getRaw()).isEqualTo(2);
    }

    @Test
    void dropsAreReportedAsDeltasOfTheSourcesTotals() {
        DecoderCounters c = new DecoderCounters();
        AtomicLong dropped = new AtomicLong();
        AtomicLong queued = new AtomicLong();
        CounterReports reports =
                new CounterReports("a", S, c, null).drops(dropped::get, () -> 0, queued::get);
        reports.frame("eth0", S, 100);
        count(c, 100, true);
        dropped.set(7);
        queued.set(2);
        PacketEvent r = reports.frame("eth0", 2 * S, 100);
        count(c, 100, true);
        assertThat(r.getCounters().getCaptureDropped()).isEqualTo(7);
        assertThat(r.getCounters().getQueueDropped()).isEqualTo(2);
        dropped.set(10);
        PacketEvent last = reports.flush();
        assertThat(last.getCounters().getCaptureDropped()).isEqualTo(3);
        assertThat(last.getCounters().getQueueDropped()).isZero();
    }
}
