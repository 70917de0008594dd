package io.flowtap.capture.source;

import io.flowtap.capture.decode.DecodeResult;
import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.DecoderCounters;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;
import io.flowtap.capture.flow.PacketEventAssembler;
import io.flowtap.schema.PacketEvent;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads a capture file and yields the {@link PacketEvent}s of its IP packets, in file order. The
 * frames that are not flow packets are counted in {@link #counters()}; a corrupt file ends with a
 * {@link io.flowtap.capture.file.CaptureFormatException} after every earlier event was returned.
 * With counter reports on, the decoder's counters are also yielded as reports, one per update
 * interval of capture time and one at the end, named after the interface of the file's first frame.
 */
public final class CaptureEventReader implements Closeable {
    private final CaptureReader reader;
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketEventAssembler assembler;
    private final Frame frame = new Frame();
    private final DecodedPacket packet = new DecodedPacket();
    private long firstTimestampNanos = -1;
    private long lastTimestampNanos = -1;
    private final CounterReports reports;
    private boolean framePending;
    private boolean flushed;

    public CaptureEventReader(CaptureReader reader, PacketEventAssembler assembler) {
        this(reader, assembler, null, 0);
    }

    /**
     * @param agentId the agent the counter reports are from; null for no reports
     * @param reportIntervalNs the update interval the reports are cut at
     */
    public CaptureEventReader(
            CaptureReader reader,
            PacketEventAssembler assembler,
            String agentId,
            long reportIntervalNs) {
        this.reader = reader;
        this.assembler = assembler;
        this.reports =
                agentId == null
                        ? null
                        : new CounterReports(
                                agentId, reportIntervalNs, decoder.counters(), assembler);
    }

    /** The next event, or null at the end of the file. */
    public PacketEvent next() throws IOException {
        while (framePending || reader.next(frame)) {
            if (reports != null && !framePending) {
                PacketEvent report =
                        reports.frame(
                                frame.interfaceName, frame.timestampNanos, frame.originalLength);
                if (report != null) {
                    framePending = true;
                    return report;
                }
            }
            framePending = false;
            if (decoder.decode(frame, packet) != DecodeResult.OK) {
                continue;
            }
            if (firstTimestampNanos < 0) {
                firstTimestampNanos = packet.timestampNanos;
            }
            lastTimestampNanos = packet.timestampNanos;
            return assembler.assemble(packet, frame.interfaceName, frame.data);
        }
        if (reports != null && !flushed) {
            flushed = true;
            return reports.flush();
        }
        return null;
    }

    /**
     * After a read failed: the report of what was counted since the last one, or null (also without
     * reports, or when there is nothing to report).
     */
    public PacketEvent lastReport() {
        if (reports == null || flushed) {
            return null;
        }
        flushed = true;
        return reports.flush();
    }

    public DecoderCounters counters() {
        return decoder.counters();
    }

    /** Byte offset of the next record in the file. */
    public long position() {
        return reader.position();
    }

    public String fileName() {
        return reader.fileName();
    }

    public long firstTimestampNanos() {
        return firstTimestampNanos;
    }

    public long lastTimestampNanos() {
        return lastTimestampNanos;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
