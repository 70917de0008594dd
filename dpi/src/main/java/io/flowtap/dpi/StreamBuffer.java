package io.flowtap.dpi;

import java.util.Arrays;

/**
 * The start of one direction of a TCP stream, reassembled from segments that may arrive out of
 * order or more than once, up to {@link #CAPACITY} bytes. Dissectors of stream protocols parse
 * {@link #data} from its beginning. A Flink POJO: it lives in keyed state until DPI ends.
 */
public class StreamBuffer {
    /** Enough for handshakes with certificate chains; later bytes are not needed. */
    public static final int CAPACITY = 32 * 1024;

    private static final int MAX_PENDING = 16;

    // Shared by every new buffer: a TCP flow in DPI keeps two buffers, most of them empty for the
    // flow's life, and an array of no elements cannot be written to. Growth copies.
    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_SEQS = new int[0];
    private static final byte[][] NO_SEGMENTS = new byte[0][];

    /** Contiguous bytes from the start of the stream. */
    public byte[] data = NO_BYTES;

    public int length;

    /** Sequence number of {@code data[0]}. */
    public int baseSeq;

    public boolean started;

    /** The start came from a SYN: nothing can precede it. */
    public boolean fromSyn;

    /** Segments that arrived ahead of a gap: sequence numbers and bytes. */
    public int[] pendingSeq = NO_SEQS;

    public byte[][] pendingData = NO_SEGMENTS;

    public StreamBuffer() {}

    /** Sets where the stream starts: the SYN's sequence number plus one. */
    public void startAfterSyn(int synSeq) {
        if (!started) {
            baseSeq = synSeq + 1;
            started = true;
            fromSyn = true;
        }
    }

    /** Adds a segment; returns true when contiguous data grew. */
    public boolean add(int seq, byte[] bytes, int off, int len) {
        if (len <= 0) {
            return false;
        }
        if (!started) {
            baseSeq = seq;
            started = true;
        }
        int rel = seq - baseSeq;
        if (rel < 0) {
            // Data from before what we took as the start (no SYN seen): an earlier segment that
            // arrives late. Prepended when it reaches the start; otherwise the gap is unknown.
            if (fromSyn || rel + len < 0) {
                return false;
            }
            int before = -rel;
            if (before > CAPACITY) {
                return false;
            }
            int keep = Math.min(length, CAPACITY - before);
            byte[] merged = new byte[before + keep];
            System.arraycopy(bytes, off, merged, 0, before);
            System.arraycopy(data, 0, merged, before, keep);
            data = merged;
            length = merged.length;
            baseSeq = seq;
            drainPending();
            return true;
        }
        if (rel > length) {
            addPending(seq, bytes, off, len);
            return false;
        }
        boolean grew = append(rel, bytes, off, len);
        if (grew) {
            drainPending();
        }
        return grew;
    }

    private boolean append(int rel, byte[] bytes, int off, int len) {
        int skip = length - rel;
        int n = Math.min(len - skip, CAPACITY - length);
        if (n <= 0) {
            return false;
        }
        ensure(length + n);
        System.arraycopy(bytes, off + skip, data, length, n);
        length += n;
        return true;
    }

    private void ensure(int size) {
        if (data.length < size) {
            data = Arrays.copyOf(data, Math.min(CAPACITY, Math.max(size, data.length * 2 + 256)));
        }
    }

    private void addPending(int seq, byte[] bytes, int off, int len) {
        if (pendingSeq.length >= MAX_PENDING || seq - baseSeq > CAPACITY) {
            return;
        }
        pendingSeq = Arrays.copyOf(pendingSeq, pendingSeq.length + 1);
        pendingData = Arrays.copyOf(pendingData, pendingData.length + 1);
        pendingSeq[pendingSeq.length - 1] = seq;
        pendingData[pendingData.length - 1] = Arrays.copyOfRange(bytes, off, off + len);
    }

    private void drainPending() {
        boolean progress = true;
        while (progress && pendingSeq.length > 0) {
            progress = false;
            for (int i = 0; i < pendingSeq.length; i++) {
                int rel = pendingSeq[i] - baseSeq;
                if (rel <= length) {
                    byte[] p = pendingData[i];
                    if (rel >= 0) {
                        append(rel, p, 0, p.length);
                    }
                    remove(i);
                    progress = true;
                    break;
                }
            }
        }
    }

    private void remove(int i) {
        int n = pendingSeq.length - 1;
        if (n == 0) {
            pendingSeq = NO_SEQS;
            pendingData = NO_SEGMENTS;
            return;
        }
        int[] s = new int[n];
        byte[][] d = new byte[n][];
        for (int j = 0, k = 0; j <= n; j++) {
            if (j != i) {
                s[k] = pendingSeq[j];
                d[k++] = pendingData[j];
            }
        }
        pendingSeq = s;
        pendingData = d;
    }
}
