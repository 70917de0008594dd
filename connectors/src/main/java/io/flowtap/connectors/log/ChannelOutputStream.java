package io.flowtap.connectors.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A buffered output stream onto a file channel through a direct buffer of its own. A {@code
 * BufferedOutputStream} over {@code Files.newOutputStream} copies every byte twice before the
 * kernel's copy: into its array, then into the JDK's temporary direct buffer for the write; here
 * bytes are copied once, into the direct buffer the channel writes from. Not thread-safe.
 */
final class ChannelOutputStream extends OutputStream {
    private final FileChannel channel;
    private final ByteBuffer buffer;

    ChannelOutputStream(FileChannel channel, int bufferSize) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(bufferSize);
    }

    @Override
    public void write(int b) throws IOException {
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(len, buffer.remaining());
            buffer.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Writes the buffered bytes to the channel (to the operating system, not to the disk). */
    @Override
    public void flush() throws IOException {
        drain();
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            drain();
        } finally {
            channel.close();
        }
    }
}
