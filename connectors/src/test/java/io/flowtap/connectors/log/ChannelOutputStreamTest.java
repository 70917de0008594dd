package io.flowtap.connectors.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelOutputStreamTest {
    @TempDir Path dir;

    private static ChannelOutputStream open(Path file, int bufferSize) throws Exception {
        return new ChannelOutputStream(
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND),
                bufferSize);
    }

    /** Writes of every size around the buffer's, single bytes between: the file has them all. */
    @Test
    void theFileHoldsEveryByteWrittenInOrder() throws Exception {
        Path file = dir.resolve("out.json");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(7);
        try (ChannelOutputStream out = open(file, 16)) {
            for (int i = 0; i < 2_000; i++) {
                byte[] chunk = new byte[random.nextInt(40)];
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
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
    }

    /**
     * As after logrotate's copytruncate: writing goes on at the file's new end, not past a hole.
     */
    @Test
    void writesGoToTheEndOfAFileTruncatedMeanwhile() throws Exception {
        Path file = dir.resolve("out.json");
        try (ChannelOutputStream out = open(file, 64)) {
            out.write("first\n".getBytes());
            out.flush();
            try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
                truncate.truncate(0);
            }
            out.write("second\n".getBytes());
        }
        assertThat(Files.readString(file)).isEqualTo("second\n");
    }

    @Test
    void outOfRangeWritesAreRefusedAndCloseTwiceIsHarmless() throws Exception {
        Path file = dir.resolve("out.json");
        ChannelOutputStream out = open(file, 8);
        assertThatThrownBy(() -> out.write(new byte[4], 2, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        out.write(new byte[] {'a'});
        out.close();
        out.close();
        assertThat(Files.readString(file)).isEqualTo("a");
    }
}
