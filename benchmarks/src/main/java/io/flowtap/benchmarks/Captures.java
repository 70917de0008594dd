package io.flowtap.benchmarks;

import io.flowtap.capture.decode.DecodeResult;
import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;
import io.flowtap.capture.flow.PacketEventAssembler;
import io.flowtap.schema.PacketEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' input: real frames from the project's recorded captures (and from nDPI's where
 * they are beside the repository, for protocols the project's captures lack), held in memory so
 * that no benchmark measures file reading.
 */
final class Captures {
    /** The project's captures under testdata/pcap. */
    static final List<String> PROJECT = List.of("flowtap-sample.pcap", "flowtap-intel.pcap");

    /** nDPI's captures of the protocols the project's captures do not carry. */
    static final List<String> NDPI =
            List.of(
                    "bittorrent_utp.pcap",
                    "wireguard.pcap",
                    "openvpn-tlscrypt.pcap",
                    "NTPv4.pcap",
                    "stun.pcap",
                    "quic-29.pcap",
                    "dhcp-fuzz.pcapng",
                    "ssdp-m-search.pcap",
                    "iphone.pcap");

    private Captures() {}

    /** The repository root: {@code -Dflowtap.root}, or the first directory up with testdata/. */
    static Path root() {
        String configured = System.getProperty("flowtap.root");
        if (configured != null) {
            return Paths.get(configured);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/pcap"))) {
                return p;
            }
        }
        throw new IllegalStateException("no testdata/pcap here or above; set -Dflowtap.root");
    }

    /** The project's captures, then nDPI's where present. */
    static List<Path> all() {
        List<Path> files = new ArrayList<>();
        for (String name : PROJECT) {
            files.add(root().resolve("testdata/pcap").resolve(name));
        }
        Path ndpi = root().resolve("../shared/pcaps/ndpi");
        for (String name : NDPI) {
            if (Files.isRegularFile(ndpi.resolve(name))) {
                files.add(ndpi.resolve(name));
            }
        }
        return files;
    }

    /** Every frame of the files, each with its own copy of the bytes. */
    static List<Frame> frames(List<Path> files) {
        List<Frame> frames = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file);
                    CaptureReader reader =
                            CaptureReader.open(in, file.getFileName().toString(), "pcap")) {
                Frame f = new Frame();
                while (reader.next(f)) {
                    frames.add(f.copy());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file.toString(), e);
            }
        }
        return frames;
    }

    /** A decoded frame and the frame it came from. */
    record Decoded(Frame frame, DecodedPacket packet) {}

    /** The frames that decode to flow packets, each decoded into its own instance. */
    static List<Decoded> decoded(List<Frame> frames) {
        PacketDecoder decoder = new PacketDecoder();
        List<Decoded> out = new ArrayList<>();
        for (Frame f : frames) {
            DecodedPacket p = new DecodedPacket();
            if (decoder.decode(f, p) == DecodeResult.OK) {
                out.add(new Decoded(f, p));
            }
        }
        return out;
    }

    /** One event per flow packet, as the reader assembles them (payload for 32 per flow). */
    static List<PacketEvent> events(List<Decoded> packets) {
        PacketEventAssembler assembler = new PacketEventAssembler("bench", 32, 1 << 16);
        List<PacketEvent> events = new ArrayList<>();
        for (Decoded d : packets) {
            events.add(assembler.assemble(d.packet(), d.frame().interfaceName, d.frame().data));
        }
        return events;
    }
}
