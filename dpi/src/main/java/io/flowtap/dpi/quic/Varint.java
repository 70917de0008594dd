package io.flowtap.dpi.quic;

/** QUIC variable-length integers (RFC 9000 16). */
final class Varint {
    private Varint() {}

    /**
     * Reads one integer at {@code p} into {@code out[0]}.
     *
     * @return its length in bytes, or -1 when it does not fit before {@code end}
     */
    static int read(byte[] b, int p, int end, long[] out) {
        if (p >= end) {
            return -1;
        }
        int len = 1 << ((b[p] & 0xff) >> 6);
        if (end - p < len) {
            return -1;
        }
        long v = b[p] & 0x3f;
        for (int i = 1; i < len; i++) {
            v = (v << 8) | (b[p + i] & 0xff);
        }
        out[0] = v;
        return len;
    }
}
