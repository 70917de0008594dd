package io.flowtap.capture.agent;

import io.flowtap.capture.decode.DecoderCounters;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one capture interface. The decoder's counters are written by the interface's capture
 * thread only and read by the status thread: monotonic counts, read between updates.
 */
final class InterfaceStats {
    final String name;
    final CaptureSource source;
    final DecoderCounters decoder;
    final AtomicLong queueDropped = new AtomicLong();
    volatile long events;
    volatile long reports;
    volatile long tcpSeqErrors;
    volatile long lastPacketNs = Long.MIN_VALUE;

    InterfaceStats(String name, CaptureSource source, DecoderCounters decoder) {
        this.name = name;
        this.source = source;
        this.decoder = decoder;
    }
}
