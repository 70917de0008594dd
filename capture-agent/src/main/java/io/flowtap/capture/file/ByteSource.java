package io.flowtap.capture.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A growable read buffer over an input stream or a mapped file that lets record readers look at
 * whole records in place, without copying them a second time.
 */
final class ByteSource {
    private static final int INITIAL_CAPACITY = 1 << 20;

    /** Where the bytes come from: {@link InputStream#read(byte[], int, int)}'s contract. */
    interface Input extends Closeable {
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** A stream as an {@link Input}. */
    static Input input(InputStream in) {
        return new Input() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    private final Input in;
    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int pos;
    private int limit;
    private long consumedBeforeBuffer;
    private boolean eof;

    ByteSource(InputStream in) {
        this(input(in));
    }

    ByteSource(Input in) {
        this.in = in;
    }

    /** Absolute file offset of the next unread byte. */
    long position() {
        return consumedBeforeBuffer + pos;
    }

    byte[] buffer() {
        return buf;
    }

    /** Offset in {@link #buffer()} of the next unread byte. */
    int bufferPosition() {
        return pos;
    }

    int available() {
        return limit - pos;
    }

    /**
     * Makes {@code n} bytes available from {@link #bufferPosition()}; returns false when the stream
     * ends first. May move the buffer contents, so re-read {@link #buffer()} and {@link
     * #bufferPosition()} afterwards.
     */
    boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (buf.length - pos < n) {
            compact(n);
        }
        while (limit - pos < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    void close() throws IOException {
        in.close();
    }

    void skip(int n) {
        pos += n;
    }

    /** Skips {@code n} bytes that may extend beyond the buffer; returns false at end of stream. */
    boolean skipLong(long n) throws IOException {
        long inBuffer = Math.min(n, (long) (limit - pos));
        pos += (int) inBuffer;
        long rest = n - inBuffer;
        while (rest > 0) {
            if (!ensure(1)) {
                return false;
            }
            int step = (int) Math.min(rest, (long) (limit - pos));
            pos += step;
            rest -= step;
        }
        return true;
    }

    private void compact(int need) {
        int remaining = limit - pos;
        byte[] target = buf;
        if (need > buf.length) {
            target = new byte[Math.max(need, buf.length * 2)];
        }
        System.arraycopy(buf, pos, target, 0, remaining);
        consumedBeforeBuffer += pos;
        buf = target;
        limit = remaining;
        pos = 0;
    }

    static int u16(byte[] b, int off, boolean bigEndian) {
        return bigEndian
                ? ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff)
                : ((b[off + 1] & 0xff) << 8) | (b[off] & 0xff);
    }

    static long u32(byte[] b, int off, boolean bigEndian) {
        return bigEndian
                ? ((long) (b[off] & 0xff) << 24)
                        | ((b[off + 1] & 0xff) << 16)
                        | ((b[off + 2] & 0xff) << 8)
                        | (b[off + 3] & 0xff)
                : ((long) (b[off + 3] & 0xff) << 24)
                        | ((b[off + 2] & 0xff) << 16)
                        | ((b[off + 1] & 0xff) << 8)
                        | (b[off] & 0xff);
    }
}
