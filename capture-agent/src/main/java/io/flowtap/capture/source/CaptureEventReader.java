package io.flowtap.capture.source;

import io.flowtap.capture.decode.DecodeResult;
import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.DecoderCounters;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;
import io.flowtap.capture.flow.EventCoalescer;
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
    private final EventCoalescer coalescer;
    private boolean ended;
    private IOException failure;

    /** A report read while the coalescer still held events: it goes after them. */
    private PacketEvent pendingReport;

    /** The report {@link #read} found. */
    private PacketEvent report;

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
        this(reader, assembler, agentId, reportIntervalNs, null);
    }

    /**
     * @param coalescer joins a flow's packets into fewer events, or null for one event per packet
     */
    public CaptureEventReader(
            CaptureReader reader,
            PacketEventAssembler assembler,
            String agentId,
            long reportIntervalNs,
            EventCoalescer coalescer) {
        this.reader = reader;
        this.assembler = assembler;
        this.coalescer = coalescer;
        this.reports =
                agentId == null
                        ? null
                        : new CounterReports(
                                agentId, reportIntervalNs, decoder.counters(), assembler);
    }

    /**
     * The next event, or null at the end of the file. With a coalescer, a read error is thrown
     * after the events it still held were returned.
     */
    public PacketEvent next() throws IOException {
        if (coalescer == null) {
            switch (read()) {
                case PACKET:
                    return assembler.assemble(packet, frame.interfaceName, frame.data);
                case REPORT:
                    return takeReport();
                default:
                    return null;
            }
        }
        while (true) {
            PacketEvent ready = coalescer.poll();
            if (ready != null) {
                return ready;
            }
            if (failure != null) {
                IOException f = failure;
                failure = null;
                throw f;
            }
            if (ended) {
                return null;
            }
            Read r;
            try {
                r = read();
            } catch (IOException ex) {
                coalescer.flush();
                failure = ex;
                continue;
            }
            if (r == Read.PACKET) {
                assembler.assemble(packet, frame.interfaceName, frame.data, coalescer);
                continue;
            }
            // The end, or a counters report: what the coalescer holds goes first.
            coalescer.flush();
            if (r == Read.END) {
                ended = true;
                continue;
            }
            PacketEvent report = takeReport();
            PacketEvent held = coalescer.poll();
            if (held == null) {
                return report;
            }
            pendingReport = report;
            return held;
        }
    }

    /** What {@link #read} came to. */
    private enum Read {
        /** A decoded packet, in {@link #packet} (its frame in {@link #frame}). */
        PACKET,
        /** A counters report, for {@link #takeReport}. */
        REPORT,
        END
    }

    private PacketEvent takeReport() {
        PacketEvent r = report;
        report = null;
        return r;
    }

    /** Reads up to the next IP packet or counters report. */
    private Read read() throws IOException {
        if (pendingReport != null) {
            report = pendingReport;
            pendingReport = null;
            return Read.REPORT;
        }
        while (framePending || reader.next(frame)) {
            if (reports != null && !framePending) {
                PacketEvent r =
                        reports.frame(
                                frame.interfaceName, frame.timestampNanos, frame.originalLength);
                if (r != null) {
                    framePending = true;
                    report = r;
                    return Read.REPORT;
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
            return Read.PACKET;
        }
        if (reports != null && !flushed) {
            flushed = true;
            report = reports.flush();
            if (report != null) {
                return Read.REPORT;
            }
        }
        return Read.END;
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
