package io.flowtap.capture.agent;

import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a pcap or pcapng file: at the pace it was recorded, at a multiple of it, or as fast as it
 * can be read. Frames keep their recorded timestamps, so the telemetry is that of the recording
 * whatever the pace.
 */
public final class ReplaySource implements CaptureSource {
    /** As fast as possible. */
    public static final double AS_FAST_AS_POSSIBLE = 0;

    private final CaptureReader reader;
    private final String name;
    private final double speed;
    private volatile boolean stopped;
    private long firstTsNs = Long.MIN_VALUE;
    private long startWallNs;

    /**
     * @param interfaceName the name for frames the file does not name an interface for
     * @param speed 1 for the recorded pace, 2 for twice as fast, {@link #AS_FAST_AS_POSSIBLE}
     */
    public ReplaySource(Path file, String interfaceName, double speed) throws IOException {
        if (speed < 0 || Double.isNaN(speed)) {
            throw new IllegalArgumentException("replay speed must be positive, or 0 for no pause");
        }
        this.reader = CaptureReader.open(file, interfaceName);
        this.name = interfaceName;
        this.speed = speed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        if (stopped || !reader.next(frame)) {
            return false;
        }
        if (speed > 0) {
            pace(frame.timestampNanos);
        }
        return !stopped;
    }

    private void pace(long tsNs) {
        long now = System.nanoTime();
        if (firstTsNs == Long.MIN_VALUE) {
            firstTsNs = tsNs;
            startWallNs = now;
            return;
        }
        long due = startWallNs + (long) ((tsNs - firstTsNs) / speed);
        while (!stopped && (now = System.nanoTime()) < due) {
            LockSupport.parkNanos(Math.min(due - now, 100_000_000L));
        }
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
