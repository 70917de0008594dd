package io.flowtap.connectors.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class FileAppenderTest {
    /** Local file systems that take direct I/O of whole 512-byte sectors and nothing less. */
    private static final List<String> DIRECT_FILE_SYSTEMS = List.of("ext4", "xfs", "btrfs");

    @TempDir Path dir;

    /**
     * Writes of every size around the buffer's and the block's, single bytes between, flushes now
     * and then: the file has them all, in order, after each flush and at the end.
     */
    @ParameterizedTest(name = "direct I/O {0}")
    @ValueSource(booleans = {false, true})
    void theFileHoldsEveryByteWrittenInOrder(boolean directIo) throws Exception {
        Path file = dir.resolve("out.json");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(7);
        int bufferSize = directIo ? 3 * 4096 : 16;
        int largest = directIo ? 9_000 : 40;
        try (FileAppender out = FileAppender.open(file, bufferSize, directIo)) {
            for (int i = 0; i < 2_000; i++) {
                byte[] chunk = new byte[random.nextInt(largest)];
                random.nextBytes(chunk);
                int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
                out.write(chunk, off, chunk.length - off);
                expected.write(chunk, off, chunk.length - off);
                out.write(i);
                expected.write(i);
                if (i % 300 == 0) {
                    out.flush();
                    assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
                }
            }
            if (DIRECT_FILE_SYSTEMS.contains(Files.getFileStore(dir).type())) {
                assertThat(out.direct()).isEqualTo(directIo);
            }
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
    }

    /**
     * With direct I/O the whole blocks do not go into the page cache: {@code fincore} (util-linux)
     * finds at most the last partial block of a 4 MiB file there.
     */
    @Test
    void directWritesLeaveThePageCacheAlone() throws Exception {
        Path file = dir.resolve("out.json");
        assumeThat(Files.getFileStore(dir).type()).isIn(DIRECT_FILE_SYSTEMS);
        assumeThat(Path.of("/usr/bin/fincore")).isExecutable();
        byte[] line = "{\"type\":\"flow\"}\n".getBytes(StandardCharsets.US_ASCII);
        try (FileAppender out = FileAppender.open(file, 1 << 18, true)) {
            assertThat(out.direct()).isTrue();
            for (int i = 0; i < (4 << 20) / line.length; i++) {
                out.write(line);
            }
        }
        assertThat(Files.size(file)).isEqualTo((4 << 20) / line.length * line.length);
        assertThat(pageCacheBytes(file)).isLessThanOrEqualTo(4096);

        Path buffered = dir.resolve("buffered.json");
        try (FileAppender out = FileAppender.open(buffered, 1 << 18, false)) {
            assertThat(out.direct()).isFalse();
            out.write(new byte[4 << 20]);
        }
        assertThat(pageCacheBytes(buffered)).isGreaterThan(2 << 20);
    }

    /** Appending to a file whose length is not a whole number of blocks. */
    @Test
    void directWritesStartAtAnUnalignedEnd() throws Exception {
        Path file = dir.resolve("out.json");
        byte[] before = new byte[1_000];
        new Random(1).nextBytes(before);
        Files.write(file, before);
        byte[] after = new byte[50_000];
        new Random(2).nextBytes(after);
        try (FileAppender out = FileAppender.open(file, 8192, true)) {
            out.write(after, 0, 10);
            out.flush();
            out.write(after, 10, after.length - 10);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(before);
        expected.write(after);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
    }

    /**
     * As after logrotate's copytruncate: writing goes on at the file's new end, not past a hole,
     * and bytes the file had before do not come back (a partial block written at a flush is kept in
     * the buffer for the next direct write).
     */
    @ParameterizedTest(name = "direct I/O {0}")
    @ValueSource(booleans = {false, true})
    void writesGoToTheEndOfAFileTruncatedMeanwhile(boolean directIo) throws Exception {
        Path file = dir.resolve("out.json");
        String first = "first\n".repeat(1_000);
        try (FileAppender out = FileAppender.open(file, 64 << 10, directIo)) {
            out.write(first.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(Files.readString(file)).isEqualTo(first);
            try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
                truncate.truncate(0);
            }
            out.write("second\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.readString(file)).isEqualTo("second\n");
    }

    /**
     * A file system that refuses the first direct write (here: writes of 256-byte blocks on
     * 512-byte sectors) gets every byte through the page cache instead.
     */
    @Test
    void aRefusedDirectWriteFallsBackToThePageCache() throws Exception {
        assumeThat(Files.getFileStore(dir).type()).isIn(DIRECT_FILE_SYSTEMS);
        Path file = dir.resolve("out.json");
        byte[] bytes = new byte[3 * 256 + 100];
        new Random(3).nextBytes(bytes);
        try (FileAppender out = FileAppender.open(file, 1024, 256)) {
            assertThat(out.direct()).isTrue();
            out.write(bytes);
            out.flush();
            assertThat(out.direct()).isFalse();
            out.write(bytes);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(bytes);
        expected.write(bytes);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
    }

    @Test
    void outOfRangeWritesAreRefusedAndCloseTwiceIsHarmless() throws Exception {
        Path file = dir.resolve("out.json");
        FileAppender out = FileAppender.open(file, 8, false);
        assertThatThrownBy(() -> out.write(new byte[4], 2, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        out.write(new byte[] {'a'});
        out.close();
        out.close();
        assertThat(Files.readString(file)).isEqualTo("a");
    }

    /** The bytes of a file in the page cache, by util-linux's {@code fincore}. */
    private static long pageCacheBytes(Path file) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                "/usr/bin/fincore",
                                "--bytes",
                                "--noheadings",
                                "--output",
                                "RES",
                                file.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Long.parseLong(out.trim());
    }
}
