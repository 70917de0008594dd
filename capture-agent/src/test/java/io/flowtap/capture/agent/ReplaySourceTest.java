package io.flowtap.capture.agent;

import io.flowtap.capture.file.Frame;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay passes and timestamps, against capinfos' reading of the sample: 2,154 packets from
 * 1,795,308,506.620765 s to 1,795,308,510.217645 s (3.596880 s).
 */
class ReplaySourceTest {
    private static final Path SAMPLE = Path.of("..", "testdata", "pcap", "flowtap-sample.pcap");
    private static final long FIRST_NS = 1_795_308_506_620_765_000L;
    private static final long LAST_NS = 1_795_308_510_217_645_000L;

    private static List<Long> timestamps(ReplaySource.Options o) throws Exception {
        List<Long> ts = new ArrayList<>();
        try (ReplaySource s = new ReplaySource(SAMPLE, "pcap", o)) {
            Frame f = new Frame();
            while (s.next(f)) {
                ts.add(f.timestampNanos);
            }
        }
        return ts;
    }

    @Test
    void recordedTimestampsByDefault() throws Exception {
        List<Long> ts = timestamps(ReplaySource.Options.at(ReplaySource.AS_FAST_AS_POSSIBLE));
        assertThat(ts).hasSize(2154);
        assertThat(ts.get(0)).isEqualTo(FIRST_NS);
        assertThat(ts.get(ts.size() - 1)).isEqualTo(LAST_NS);
    }

    @Test
    void loopsContinueInTimeOneSecondApart() throws Exception {
        ReplaySource.Options o = ReplaySource.Options.at(ReplaySource.AS_FAST_AS_POSSIBLE);
        o.loops = 3;
        List<Long> ts = timestamps(o);
        assertThat(ts).hasSize(3 * 2154);
        long pass = LAST_NS - FIRST_NS + 1_000_000_000L;
        assertThat(ts.get(2154)).isEqualTo(FIRST_NS + pass);
        assertThat(ts.get(2 * 2154)).isEqualTo(FIRST_NS + 2 * pass);
        assertThat(ts.get(ts.size() - 1)).isEqualTo(LAST_NS + 2 * pass);
    }

    @Test
    void rebasedTimestampsStartNowAndKeepTheirSpacing() throws Exception {
        ReplaySource.Options o = ReplaySource.Options.at(ReplaySource.AS_FAST_AS_POSSIBLE);
        o.rebase = true;
        o.loops = 2;
        long before = System.currentTimeMillis() * 1_000_000L;
        List<Long> ts = timestamps(o);
        long after = System.currentTimeMillis() * 1_000_000L;
        assertThat(ts.get(0)).isBetween(before, after);
        assertThat(ts.get(2153) - ts.get(0)).isEqualTo(LAST_NS - FIRST_NS);
        // The second pass follows the rebased first one.
        assertThat(ts.get(2154) - ts.get(2153)).isEqualTo(1_000_000_000L);
        assertThat(ts.get(ts.size() - 1) - ts.get(2154)).isEqualTo(LAST_NS - FIRST_NS);
    }
}
