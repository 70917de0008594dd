package io.flowtap.capture.fuzz;

import io.flowtap.capture.decode.DecodeResult;
import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.LinkType;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.CaptureFormatException;
import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;
import io.flowtap.capture.flow.PacketEventAssembler;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz targets for every parser of the capture path. Any input must end, in bounded time, without
 * an exception other than the documented {@link CaptureFormatException}.
 *
 * <p>{@code mvn verify} replays the kept corpus (src/test/resources/.../Inputs); to fuzz, run
 * {@code JAZZER_FUZZ=1 mvn -pl capture-agent test -Dtest=CaptureParsersFuzzTest#<target>}.
 */
class CaptureParsersFuzzTest {
    private static final int[] LINK_TYPES = {
        LinkType.NULL,
        LinkType.ETHERNET,
        LinkType.PPP,
        LinkType.RAW_OPENBSD,
        LinkType.PPP_HDLC,
        LinkType.RAW,
        LinkType.LOOP,
        LinkType.LINUX_SLL,
        LinkType.IPV4,
        LinkType.IPV6,
        LinkType.LINUX_SLL2,
        147
    };

    /** Whole capture files: framing of pcap and pcapng, then decoding of every frame. */
    @FuzzTest(maxDuration = "2m")
    void captureFile(byte[] file) throws IOException {
        PacketDecoder decoder = new PacketDecoder();
        PacketEventAssembler assembler = new PacketEventAssembler("fuzz", 4, 16);
        DecodedPacket p = new DecodedPacket();
        Frame f = new Frame();
        try (CaptureReader r =
                CaptureReader.open(new ByteArrayInputStream(file), "fuzz.pcap", "eth0")) {
            int frames = 0;
            while (r.next(f)) {
                if (++frames > file.length) {
                    throw new AssertionError("more frames than bytes: the reader loops");
                }
                if (decoder.decode(f, p) == DecodeResult.OK) {
                    assembler.assemble(p, f.interfaceName, f.data);
                }
            }
        } catch (CaptureFormatException expected) {
            // Corrupt input is reported this way, and only this way.
        }
    }

    /** Single frames of every link type, straight into the decoder and the event assembler. */
    @FuzzTest(maxDuration = "2m")
    void frame(FuzzedDataProvider data) {
        int linkType = LINK_TYPES[data.consumeInt(0, LINK_TYPES.length - 1)];
        int extraOriginal = data.consumeInt(0, 3000);
        byte[] bytes = data.consumeRemainingAsBytes();
        Frame f = new Frame();
        f.data = bytes;
        f.offset = 0;
        f.capturedLength = bytes.length;
        f.originalLength = bytes.length + extraOriginal;
        f.linkType = linkType;
        f.interfaceName = "eth0";
        PacketDecoder decoder = new PacketDecoder();
        DecodedPacket p = new DecodedPacket();
        if (decoder.decode(f, p) == DecodeResult.OK) {
            if (p.payloadLength < 0 || p.payloadCaptured < 0) {
                throw new AssertionError("negative payload length");
            }
            if (p.payloadCaptured > 0
                    && p.payloadOffset + p.payloadCaptured > f.offset + f.capturedLength) {
                throw new AssertionError("payload outside the captured bytes");
            }
            new PacketEventAssembler("fuzz", 4, 16).assemble(p, "eth0", f.data);
        }
    }

    /**
     * Packet events as the stream job reads them off Kafka: any bytes either decode to an event
     * that passes the checks and survives encoding and decoding again, or fail with an IOException,
     * without allocating more than the message's size.
     */
    @FuzzTest(maxDuration = "2m")
    void packetEvent(byte[] message) throws IOException {
        PacketEvent e;
        try {
            e = PacketEvents.decode(message);
        } catch (IOException expected) {
            return;
        }
        if (!PacketEvents.decode(PacketEvents.encode(e)).equals(e)) {
            throw new AssertionError("a decoded event does not survive encoding");
        }
        if (PacketEvents.hasPackets(e) && e.getPackets().isEmpty()) {
            throw new AssertionError("a packet event without packets passed the checks");
        }
        if (PacketEvents.isCounters(e) && PacketEvents.timestampMs(e) < 0) {
            throw new AssertionError("a counter report before the epoch passed the checks");
        }
    }
}
