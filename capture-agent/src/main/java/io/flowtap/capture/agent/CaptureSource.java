package io.flowtap.capture.agent;

import io.flowtap.capture.file.Frame;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.LongConsumer;

/** Where an agent's frames come from: a live interface or a capture file being replayed. */
public interface CaptureSource extends Closeable {
    /** The interface name the frames are reported under. */
    String name();

    /** {@code pcap} for both kinds (Netify's {@code capture_type}). */
    default String captureType() {
        return "pcap";
    }

    /**
     * Fills {@code frame} with the next frame, waiting for one.
     *
     * @return false when the source has ended (end of file, or {@link #stop()} was called)
     */
    boolean next(Frame frame) throws IOException;

    /**
     * Whether frames come off a wire that does not wait. A live source never blocks on the agent's
     * queue (what does not fit is dropped and counted); a replay waits for room instead, since
     * nothing is lost by reading the file more slowly.
     */
    default boolean isLive() {
        return false;
    }

    /**
     * Gives the source work to do while it waits for a frame (a live link that is quiet, a replay
     * keeping its pace): it runs {@code task} on the thread that called {@link #next}, between the
     * slices of its wait, with the capture time that has passed by then (ns since the epoch: the
     * clock for a live capture, the replay's own time for a replay). No later frame is older, so
     * what is bound to capture time (letting go of events held for coalescing) can be done then.
     * Sources that never wait ignore it.
     */
    default void whileIdle(LongConsumer task) {}

    /** Asks {@link #next} to return false soon; callable from any thread. */
    void stop();

    /** Frames the capture layer dropped before they reached the agent (kernel buffer full). */
    default long droppedByCapture() {
        return 0;
    }

    /** Frames the capture layer discarded by its filter or the interface dropped. */
    default long filteredByCapture() {
        return 0;
    }

    /** The interface's link-layer address, {@code 00:00:00:00:00:00} when unknown. */
    default String mac() {
        return "00:00:00:00:00:00";
    }

    /** The interface's addresses, as text. */
    default java.util.List<String> addresses() {
        return java.util.List.of();
    }
}
