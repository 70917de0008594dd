package io.flowtap.schemas;

import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Avro binary decoding of one message held in a byte array, where every length and item count is
 * checked against the bytes that are left before anything is allocated. Avro's own decoder
 * allocates what a length prefix says first, so a 15-byte corrupt message can ask for gigabytes;
 * here it fails with an {@link IOException} instead. Item counts are bounded by the bytes left,
 * which holds for every collection whose items take at least one byte (all of Flowtap's).
 */
final class BoundedBinaryDecoder extends Decoder {
    private final byte[] buf;
    private int pos;
    private final int limit;

    BoundedBinaryDecoder(byte[] buf, int offset, int limit) {
        this.buf = buf;
        this.pos = offset;
        this.limit = limit;
    }

    boolean atEnd() {
        return pos == limit;
    }

    private int remaining() {
        return limit - pos;
    }

    private void require(long n) throws IOException {
        if (n < 0) {
            throw new IOException("negative length " + n + " at byte " + pos);
        }
        if (n > remaining()) {
            throw new EOFException(
                    "length " + n + " at byte " + pos + " exceeds the " + remaining() + " left");
        }
    }

    @Override
    public void readNull() {}

    @Override
    public boolean readBoolean() throws IOException {
        require(1);
        int b = buf[pos++];
        if (b != 0 && b != 1) {
            throw new IOException("invalid boolean " + b + " at byte " + (pos - 1));
        }
        return b == 1;
    }

    @Override
    public int readInt() throws IOException {
        long v = readLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IOException("int out of range: " + v);
        }
        return (int) v;
    }

    @Override
    public long readLong() throws IOException {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            require(1);
            int b = buf[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IOException("varint longer than 10 bytes at byte " + pos);
    }

    @Override
    public float readFloat() throws IOException {
        require(4);
        int bits =
                (buf[pos] & 0xff)
                        | (buf[pos + 1] & 0xff) << 8
                        | (buf[pos + 2] & 0xff) << 16
                        | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    @Override
    public double readDouble() throws IOException {
        require(8);
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = bits << 8 | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    private int length() throws IOException {
        long n = readLong();
        require(n);
        return (int) n;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int n = length();
        Utf8 out = old != null ? old : new Utf8();
        out.setByteLength(n);
        System.arraycopy(buf, pos, out.getBytes(), 0, n);
        pos += n;
        return out;
    }

    @Override
    public String readString() throws IOException {
        int n = length();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    @Override
    public void skipString() throws IOException {
        pos += length();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int n = length();
        ByteBuffer out =
                old != null && old.capacity() >= n
                        ? (ByteBuffer) old.clear()
                        : ByteBuffer.allocate(n);
        out.put(buf, pos, n).flip();
        pos += n;
        return out;
    }

    @Override
    public void skipBytes() throws IOException {
        pos += length();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int len) throws IOException {
        require(len);
        System.arraycopy(buf, pos, bytes, start, len);
        pos += len;
    }

    @Override
    public void skipFixed(int len) throws IOException {
        require(len);
        pos += len;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    /** A block's item count; a negative count is followed by the block's size in bytes. */
    private long blockCount() throws IOException {
        long n = readLong();
        if (n < 0) {
            if (n == Long.MIN_VALUE) {
                throw new IOException("invalid block count at byte " + pos);
            }
            n = -n;
            readLong(); // block size in bytes, not needed
        }
        require(n);
        return n;
    }

    @Override
    public long readArrayStart() throws IOException {
        return blockCount();
    }

    @Override
    public long arrayNext() throws IOException {
        return blockCount();
    }

    @Override
    public long skipArray() throws IOException {
        throw new IOException("skipping arrays is not supported");
    }

    @Override
    public long readMapStart() throws IOException {
        return blockCount();
    }

    @Override
    public long mapNext() throws IOException {
        return blockCount();
    }

    @Override
    public long skipMap() throws IOException {
        throw new IOException("skipping maps is not supported");
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }
}
