package io.flowtap.capture.agent;

import io.flowtap.capture.file.Frame;

import java.io.Closeable;
import java.io.IOException;

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
     * Gives a live source work to do while it waits for frames: it runs {@code task} on the thread
     * that called {@link #next} between the slices of its wait, so that what is bound to the clock
     * (letting go of events held for coalescing) happens while the link is quiet. Sources that do
     * not wait on a link ignore it.
     */
    default void whileIdle(Runnable task) {}

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
