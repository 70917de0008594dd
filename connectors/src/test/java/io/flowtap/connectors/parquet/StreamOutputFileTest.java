package io.flowtap.connectors.parquet;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;

import org.apache.parquet.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StreamOutputFileTest {
    @TempDir Path dir;

    /**
     * Single bytes and arrays of every size around the buffer's: the position counts every byte at
     * once, the file has them all in order after close, and the stream stays open for the sink.
     */
    @Test
    void positionAndBytesAreThoseWrittenThroughTheBuffer() throws Exception {
        Path file = dir.resolve("part.parquet");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(11);
        try (FSDataOutputStream stream =
                FileSystem.getLocalFileSystem()
                        .create(
                                new org.apache.flink.core.fs.Path(file.toUri()),
                                FileSystem.WriteMode.OVERWRITE)) {
            PositionOutputStream out = new StreamOutputFile(stream).create(0);
            for (int i = 0; i < 400; i++) {
                if (random.nextBoolean()) {
                    out.write(i);
                    expected.write(i);
                } else {
                    byte[] chunk = new byte[random.nextInt(3 * StreamOutputFile.BUFFER_SIZE)];
                    random.nextBytes(chunk);
                    int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
                    out.write(chunk, off, chunk.length - off);
                    expected.write(chunk, off, chunk.length - off);
                }
                assertThat(out.getPos()).isEqualTo(expected.size());
            }
            out.close();
            assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
            stream.write('!');
            expected.write('!');
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
    }
}
