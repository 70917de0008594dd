package io.flowtap.capture.decode;

import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Decoding allocates nothing per frame: the decoder fills the caller's {@link DecodedPacket}. Read
 * from the JVM's per-thread allocation counter, so an allocation added to any branch the project's
 * captures take (VLAN and QinQ tags, IPv6, ICMP, every transport) fails it, whether or not the JIT
 * would have removed it.
 */
class DecoderAllocationTest {
    private static final int PASSES = 20;

    @Test
    void decodingTheProjectsCapturesAllocatesNothingPerFrame() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no allocation counter");
        List<Frame> frames = new ArrayList<>();
        for (String name : new String[] {"flowtap-sample.pcap", "flowtap-intel.pcap"}) {
            frames.addAll(frames(Path.of("..", "testdata", "pcap", name)));
        }
        PacketDecoder decoder = new PacketDecoder();
        DecodedPacket out = new DecodedPacket();
        // Fragments are left out: the decoder remembers each fragmented datagram's ports (an entry
        // per datagram) to give them to its later fragments.
        List<Frame> whole = new ArrayList<>();
        Map<DecodeResult, Integer> results = new EnumMap<>(DecodeResult.class);
        for (Frame f : frames) {
            results.merge(decoder.decode(f, out), 1, Integer::sum);
            if (!out.fragment) {
                whole.add(f);
            }
        }
        Frame[] measured = whole.toArray(new Frame[0]);
        long id = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(id);
        for (int pass = 0; pass < PASSES; pass++) {
            for (Frame f : measured) {
                decoder.decode(f, out);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        assertThat(results.get(DecodeResult.OK)).as("frames decoded").isGreaterThan(1000);
        assertThat(measured.length).isGreaterThan(frames.size() - 100);
        assertThat(allocated)
                .as("bytes allocated decoding %d frames %d times", measured.length, PASSES)
                .isZero();
    }

    private static List<Frame> frames(Path file) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
                CaptureReader reader =
                        CaptureReader.open(in, file.getFileName().toString(), "pcap")) {
            Frame f = new Frame();
            while (reader.next(f)) {
                frames.add(f.copy());
            }
        }
        return frames;
    }
}
