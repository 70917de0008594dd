package io.flowtap.capture.agent;

import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Replays a pcap or pcapng file: at the pace it was recorded, at a multiple of it, or as fast as it
 * can be read. Frames keep their recorded timestamps, so the telemetry is that of the recording
 * whatever the pace; with {@link Options#rebase} they are moved to the present instead, as if
 * captured live, and with {@link Options#loops} the file is played several times, each pass
 * continuing in time one second after the previous one ended.
 */
public final class ReplaySource implements CaptureSource {
    /** As fast as possible. */
    public static final double AS_FAST_AS_POSSIBLE = 0;

    /** The pause in event time between two passes over the file. */
    private static final long LOOP_GAP_NS = 1_000_000_000L;

    private final Path file;
    private final String name;
    private final Options options;
    private CaptureReader reader;
    private int pass = 1;
    private volatile boolean stopped;

    /** How often a paced replay runs its idle task while it waits for a frame's time. */
    private static final long IDLE_NS = 10_000_000L;

    private LongConsumer idleTask;

    /** Time added to recorded timestamps: zero unless rebased or looping. */
    private long shiftNs;

    private long firstTsNs = Long.MIN_VALUE;
    private long recordedFirstTsNs;
    private long lastTsNs = Long.MIN_VALUE;
    private long startWallNs;

    /** How to replay: pace, passes, timestamps. */
    public static final class Options {
        /** 1 for the recorded pace, 2 for twice as fast, {@link #AS_FAST_AS_POSSIBLE}. */
        public double speed = 1;

        /** Passes over the file. */
        public int loops = 1;

        /** Move timestamps to the present: the first frame is stamped with the time it is read. */
        public boolean rebase;

        public static Options at(double speed) {
            Options o = new Options();
            o.speed = speed;
            return o;
        }
    }

    /**
     * @param interfaceName the name for frames the file does not name an interface for
     * @param speed 1 for the recorded pace, 2 for twice as fast, {@link #AS_FAST_AS_POSSIBLE}
     */
    public ReplaySource(Path file, String interfaceName, double speed) throws IOException {
        this(file, interfaceName, Options.at(speed));
    }

    public ReplaySource(Path file, String interfaceName, Options options) throws IOException {
        if (options.speed < 0 || Double.isNaN(options.speed)) {
            throw new IllegalArgumentException("replay speed must be positive, or 0 for no pause");
        }
        if (options.loops < 1) {
            throw new IllegalArgumentException("a replay makes at least one pass");
        }
        this.file = file;
        this.name = interfaceName;
        this.options = options;
        this.reader = CaptureReader.open(file, interfaceName);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        if (stopped) {
            return false;
        }
        while (!reader.next(frame)) {
            if (pass >= options.loops) {
                return false;
            }
            pass++;
            reader.close();
            reader = CaptureReader.open(file, name);
            if (lastTsNs != Long.MIN_VALUE) {
                // The next pass starts where this one ended: its first frame comes a gap after
                // the last one, whatever the file's own first timestamp.
                shiftNs = lastTsNs + LOOP_GAP_NS - recordedFirstTsNs;
            }
        }
        if (firstTsNs == Long.MIN_VALUE) {
            firstTsNs = frame.timestampNanos;
            recordedFirstTsNs = firstTsNs;
            startWallNs = System.nanoTime();
            if (options.rebase) {
                shiftNs = System.currentTimeMillis() * 1_000_000L - firstTsNs;
            }
            firstTsNs += shiftNs;
        }
        frame.timestampNanos += shiftNs;
        if (frame.timestampNanos > lastTsNs) {
            lastTsNs = frame.timestampNanos;
        }
        if (options.speed > 0) {
            pace(frame.timestampNanos);
        }
        return !stopped;
    }

    private void pace(long tsNs) {
        long due = startWallNs + (long) ((tsNs - firstTsNs) / options.speed);
        long now;
        while (!stopped && (now = System.nanoTime()) < due) {
            // Short slices while something waits to be told how far the replay's time has got.
            LockSupport.parkNanos(Math.min(due - now, idleTask == null ? 100_000_000L : IDLE_NS));
            if (idleTask != null) {
                idleTask.accept(
                        firstTsNs + (long) ((System.nanoTime() - startWallNs) * options.speed));
            }
        }
    }

    @Override
    public void whileIdle(LongConsumer task) {
        this.idleTask = task;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
