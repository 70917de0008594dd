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
