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
 */
public final class CaptureEventReader implements Closeable {
    private final CaptureReader reader;
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketEventAssembler assembler;
    private final Frame frame = new Frame();
    private final DecodedPacket packet = new DecodedPacket();
    private long firstTimestampNanos = -1;
    private long lastTimestampNanos = -1;

    public CaptureEventReader(CaptureReader reader, PacketEventAssembler assembler) {
        this.reader = reader;
        this.assembler = assembler;
    }

    /** The next event, or null at the end of the file. */
    public PacketEvent next() throws IOException {
        while (reader.next(frame)) {
            if (decoder.decode(frame, packet) != DecodeResult.OK) {
                continue;
            }
            if (firstTimestampNanos < 0) {
                firstTimestampNanos = packet.timestampNanos;
            }
            lastTimestampNanos = packet.timestampNanos;
            return assembler.assemble(packet, frame.interfaceName, frame.data);
        }
        return null;
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
