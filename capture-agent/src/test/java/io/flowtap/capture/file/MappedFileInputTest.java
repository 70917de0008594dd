package io.flowtap.capture.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.flowtap.capture.file.TestCaptures.cat;
import static io.flowtap.capture.file.TestCaptures.epb;
import static io.flowtap.capture.file.TestCaptures.idb;
import static io.flowtap.capture.file.TestCaptures.pcapHeader;
import static io.flowtap.capture.file.TestCaptures.pcapRecord;
import static io.flowtap.capture.file.TestCaptures.shb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Reading a capture through mapped windows gives what reading it as a stream gives. */
class MappedFileInputTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @TempDir Path dir;

    /** A pcap of frames of random lengths and contents, some larger than the small windows. */
    private static byte[] pcap(long seed, int frames) {
        Random random = new Random(seed);
        List<byte[]> parts = new ArrayList<>();
        parts.add(pcapHeader(LE, false, 1, 262144));
        for (int i = 0; i < frames; i++) {
            byte[] data = new byte[1 + random.nextInt(i % 17 == 0 ? 20_000 : 1_600)];
            random.nextBytes(data);
            parts.add(pcapRecord(LE, 1_700_000_000L + i, i, data, data.length + (i % 3)));
        }
        return cat(parts.toArray(new byte[0][]));
    }

    private static byte[] pcapng(long seed, int frames) {
        Random random = new Random(seed);
        List<byte[]> parts = new ArrayList<>();
        parts.add(shb(LE));
        parts.add(idb(LE, 1, "wan0", null));
        parts.add(idb(LE, 1, "lan0", 9));
        for (int i = 0; i < frames; i++) {
            byte[] data = new byte[1 + random.nextInt(3_000)];
            random.nextBytes(data);
            parts.add(epb(LE, i % 2, 1_000_000L * i, data, data.length));
        }
        return cat(parts.toArray(new byte[0][]));
    }

    /** Every frame's fields and bytes, in order, as one comparable string per frame. */
    private static List<String> read(CaptureReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        try (reader) {
            Frame f = new Frame();
            while (reader.next(f)) {
                out.add(
                        f.timestampNanos
                                + " "
                                + f.capturedLength
                                + " "
                                + f.originalLength
                                + " "
                                + f.linkType
                                + " "
                                + f.interfaceName
                                + " "
                                + f.fileOffset
                                + " "
                                + Arrays.hashCode(
                                        Arrays.copyOfRange(
                                                f.data, f.offset, f.offset + f.capturedLength)));
            }
        }
        return out;
    }

    private static CaptureReader mapped(Path file, int window) throws IOException {
        return CaptureFormats.open(
                new ByteSource(new MappedFileInput(file, window)), "test.cap", "eth9", false);
    }

    private static CaptureReader stream(byte[] file) throws IOException {
        return CaptureReader.open(new ByteArrayInputStream(file), "test.cap", "eth9");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4099, 65536, MappedFileInput.DEFAULT_WINDOW})
    void pcapReadThroughWindowsOfAnySizeEqualsTheStream(int window) throws IOException {
        byte[] bytes = pcap(window, 600);
        Path file = Files.write(dir.resolve("a.pcap"), bytes);
        List<String> expected = read(stream(bytes));
        assertThat(expected).hasSize(600);
        assertThat(read(mapped(file, window))).isEqualTo(expected);
    }

    @Test
    void pcapngThroughSmallWindowsEqualsTheStream() throws IOException {
        byte[] bytes = pcapng(3, 400);
        Path file = Files.write(dir.resolve("a.pcapng"), bytes);
        List<String> expected = read(stream(bytes));
        assertThat(expected).hasSize(400);
        assertThat(read(mapped(file, 5000))).isEqualTo(expected);
        assertThat(read(CaptureReader.open(file, "test.cap", "eth9", false))).isEqualTo(expected);
    }

    @Test
    void truncatedFileReportsTheSameOffsetAsTheStream() throws IOException {
        byte[] whole = pcap(11, 50);
        byte[] cut = Arrays.copyOf(whole, whole.length - 5);
        Path file = Files.write(dir.resolve("cut.pcap"), cut);
        List<String> before = new ArrayList<>();
        CaptureReader reader = mapped(file, 4096);
        Frame f = new Frame();
        assertThatThrownBy(
                        () -> {
                            while (reader.next(f)) {
                                before.add(String.valueOf(f.fileOffset));
                            }
                        })
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageStartingWith("test.cap: truncated record data (file cut short)");
        reader.close();
        assertThat(before).hasSize(49);
        assertThatThrownBy(() -> read(stream(cut)))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageEndingWith("at byte offset " + (whole.length - pcapRecordLength(whole)));
    }

    /** The length of the last record of a file made by {@link #pcap}: header and data. */
    private static int pcapRecordLength(byte[] file) throws IOException {
        CaptureReader reader = stream(file);
        Frame f = new Frame();
        long last = 0;
        while (reader.next(f)) {
            last = f.fileOffset;
        }
        return (int) (file.length - last);
    }

    @Test
    void emptyAndHeaderlessFilesAreReportedAsTheStreamReportsThem() throws IOException {
        Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
        assertThatThrownBy(() -> CaptureReader.open(empty, "empty.pcap", "eth9", false))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage(
                        "empty.pcap: not a capture file (shorter than a file header) at byte"
                                + " offset 0");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, world");
        assertThatThrownBy(() -> CaptureReader.open(text, "notes.txt", "eth9", false))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("not a pcap or pcapng file (magic 0x68656c6c)");
    }

    @Test
    void aMissingFileFailsWithItsName() {
        Path missing = dir.resolve("missing.pcap");
        assertThatThrownBy(() -> CaptureReader.open(missing, "eth9"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("missing.pcap");
    }

    @Test
    void windowsAreUnmappedAsTheReaderMovesOn() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        assumeThat(Files.isReadable(maps)).as("Linux /proc").isTrue();
        byte[] bytes = pcap(5, 2_000);
        Path file = Files.write(dir.resolve("windows.pcap"), bytes);
        int window = 4096 * 4;
        assertThat(bytes.length / window).isGreaterThan(50);
        CaptureReader reader = mapped(file, window);
        Frame f = new Frame();
        int frames = 0;
        long mostMapped = 0;
        while (reader.next(f)) {
            if (++frames % 100 == 0) {
                mostMapped = Math.max(mostMapped, mappingsOf(maps, file));
            }
        }
        long atEnd = mappingsOf(maps, file);
        reader.close();
        assertThat(frames).isEqualTo(2_000);
        // One window at a time; without unmapping, the windows stay until a collection.
        assertThat(mostMapped).isEqualTo(1);
        assertThat(atEnd).isLessThanOrEqualTo(1);
        assertThat(mappingsOf(maps, file)).isZero();
    }

    private static long mappingsOf(Path maps, Path file) throws IOException {
        String name = file.toRealPath().toString();
        return Files.readAllLines(maps).stream().filter(l -> l.endsWith(name)).count();
    }

    @Test
    void aNamedPipeIsReadAsAStream() throws Exception {
        Path fifo = dir.resolve("pipe.pcap");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeThat(e).as("mkfifo available").isNull();
            return;
        }
        assertThat(mkfifo.waitFor()).isZero();
        byte[] bytes = pcap(8, 300);
        Thread writer =
                new Thread(
                        () -> {
                            try {
                                Files.write(fifo, bytes);
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        writer.start();
        List<String> got = read(CaptureReader.open(fifo, "pipe.pcap", "eth9", false));
        writer.join();
        assertThat(got).isEqualTo(read(stream(bytes)));
    }

    @Test
    void aFileCutShortUnderAMappedWindowEndsAtTheCut() throws IOException {
        byte[] bytes = pcap(13, 6_000);
        Path file = Files.write(dir.resolve("shrinking.pcap"), bytes);
        int window = 16 << 20;
        int cut = 2 << 20;
        assertThat(bytes.length).isGreaterThan(3 << 20).isLessThan(window);
        CaptureReader reader = mapped(file, window);
        Frame f = new Frame();
        // The whole file is one mapped window; the reader has copied its first MiB.
        assertThat(reader.next(f)).isTrue();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }
        // The window's pages past the new end would fault (SIGBUS): the file ends at the cut
        // instead, as for a stream, with the frames before it and the cut frame's offset.
        long lastEnd = 0;
        CaptureFormatException error = null;
        try {
            while (reader.next(f)) {
                lastEnd = f.fileOffset + 16 + f.capturedLength;
            }
        } catch (CaptureFormatException e) {
            error = e;
        }
        reader.close();
        assertThat(lastEnd).isGreaterThan(cut - 30_000).isLessThanOrEqualTo(cut);
        assertThat(error)
                .isNotNull()
                .hasMessageStartingWith("test.cap: truncated record")
                .hasMessageEndingWith("at byte offset " + lastEnd);
    }
}
