package io.flowtap.bench;

import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Makes a large capture of realistic traffic from small recorded ones: each seed capture is
 * replayed as many copies, each copy with LAN hosts and names of its own ({@link FrameRewriter})
 * and shifted in time so that copies overlap, and all copies are merged in time order into one pcap
 * file (nanosecond timestamps). Real protocol bytes throughout: the seeds are recordings of real
 * clients and servers (testdata/README.md).
 *
 * <pre>
 * CaptureMultiplier out.pcap seed.pcap:copies:spacing-seconds [seed.pcap:copies:spacing ...]
 * </pre>
 *
 * Copy numbers run on across seeds, so no two copies of any seed share a host.
 */
public final class CaptureMultiplier {
    private record Seed(long[] timestamps, byte[][] frames, int[] originalLengths) {
        static Seed read(Path path) throws IOException {
            List<byte[]> frames = new ArrayList<>();
            List<Long> ts = new ArrayList<>();
            List<Integer> orig = new ArrayList<>();
            try (CaptureReader r = CaptureReader.open(path, "seed")) {
                Frame f = new Frame();
                while (r.next(f)) {
                    if (f.linkType != 1) {
                        throw new IOException(path + ": only Ethernet seeds (link type 1)");
                    }
                    frames.add(Arrays.copyOfRange(f.data, f.offset, f.offset + f.capturedLength));
                    ts.add(f.timestampNanos);
                    orig.add(f.originalLength);
                }
            }
            return new Seed(
                    ts.stream().mapToLong(Long::longValue).toArray(),
                    frames.toArray(new byte[0][]),
                    orig.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** One copy of one seed being merged: where it is. */
    private static final class Copy {
        final Seed seed;
        final int number;
        final long shiftNs;
        int next;

        Copy(Seed seed, int number, long shiftNs) {
            this.seed = seed;
            this.number = number;
            this.shiftNs = shiftNs;
        }

        long time() {
            return seed.timestamps[next] + shiftNs;
        }
    }

    private CaptureMultiplier() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println(
                    "usage: CaptureMultiplier <out.pcap> <seed.pcap>:<copies>:<spacing s> ...");
            System.exit(2);
        }
        PriorityQueue<Copy> queue =
                new PriorityQueue<>(
                        (a, b) -> {
                            int c = Long.compare(a.time(), b.time());
                            return c != 0 ? c : Integer.compare(a.number, b.number);
                        });
        int number = 0;
        long start = Long.MIN_VALUE;
        for (int i = 1; i < args.length; i++) {
            String[] spec = args[i].split(":");
            Seed seed = Seed.read(Path.of(spec[0]));
            int copies = Integer.parseInt(spec[1]);
            long spacingNs = (long) (Double.parseDouble(spec[2]) * 1e9);
            // Every seed's first copy starts where the first seed does.
            if (start == Long.MIN_VALUE) {
                start = seed.timestamps[0];
            }
            long align = start - seed.timestamps[0];
            for (int c = 0; c < copies; c++) {
                queue.add(new Copy(seed, number++, align + c * spacingNs));
            }
        }
        FrameRewriter rewriter = new FrameRewriter();
        long frames = 0;
        long bytes = 0;
        try (OutputStream out =
                new BufferedOutputStream(Files.newOutputStream(Path.of(args[0])), 1 << 20)) {
            ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            // Nanosecond-resolution pcap: magic a1b23c4d, version 2.4, snaplen, Ethernet.
            header.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
            header.putInt(262144).putInt(1);
            out.write(header.array());
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            byte[] buf = new byte[262144];
            while (!queue.isEmpty()) {
                Copy c = queue.poll();
                byte[] f = c.seed.frames[c.next];
                System.arraycopy(f, 0, buf, 0, f.length);
                rewriter.rewrite(buf, f.length, c.number);
                long t = c.time();
                record.clear();
                record.putInt((int) (t / 1_000_000_000L)).putInt((int) (t % 1_000_000_000L));
                record.putInt(f.length).putInt(c.seed.originalLengths[c.next]);
                out.write(record.array());
                out.write(buf, 0, f.length);
                frames++;
                bytes += f.length;
                if (++c.next < c.seed.frames.length) {
                    queue.add(c);
                }
            }
        }
        System.err.printf("wrote %d frames (%d bytes of frames) to %s%n", frames, bytes, args[0]);
    }
}
