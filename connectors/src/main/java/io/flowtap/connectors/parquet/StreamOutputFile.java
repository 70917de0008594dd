package io.flowtap.connectors.parquet;

import org.apache.flink.core.fs.FSDataOutputStream;

import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.IOException;
import java.util.Objects;

/**
 * Presents a stream that Flink's file sink owns as a Parquet {@link OutputFile}. Closing the
 * Parquet side does not close the stream: the sink commits or discards the part file itself.
 *
 * <p>Writes are buffered here: Parquet writes its page headers and footer (Thrift) a byte or a
 * varint at a time, and Flink's local file stream makes each write a system call. The buffer is
 * this class's own rather than a {@code BufferedOutputStream}, whose every write takes a lock, and
 * whose pending byte count {@link PositionOutputStream#getPos} needs is not public.
 */
final class StreamOutputFile implements OutputFile {
    static final int BUFFER_SIZE = 1 << 16;

    private final FSDataOutputStream out;

    StreamOutputFile(FSDataOutputStream out) {
        this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return new PositionOutputStream() {
            private final byte[] buffer = new byte[BUFFER_SIZE];
            private int count;

            @Override
            public long getPos() throws IOException {
                return out.getPos() + count;
            }

            @Override
            public void write(int b) throws IOException {
                if (count == buffer.length) {
                    drain();
                }
                buffer[count++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len > buffer.length - count) {
                    drain();
                }
                if (len >= buffer.length) {
                    out.write(b, off, len);
                } else {
                    System.arraycopy(b, off, buffer, count, len);
                    count += len;
                }
            }

            private void drain() throws IOException {
                if (count > 0) {
                    out.write(buffer, 0, count);
                    count = 0;
                }
            }

            @Override
            public void flush() throws IOException {
                drain();
                out.flush();
            }

            @Override
            public void close() throws IOException {
                // The stream itself is owned by the file sink; only what is buffered goes out.
                drain();
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }
}
