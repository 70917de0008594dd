package io.flowtap.dpi;

import java.nio.charset.StandardCharsets;

/** Bounds-aware reads and text helpers for dissectors. */
public final class Bytes {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Bytes() {}

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    public static int u24(byte[] b, int off) {
        return ((b[off] & 0xff) << 16) | ((b[off + 1] & 0xff) << 8) | (b[off + 2] & 0xff);
    }

    public static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24)
                | ((b[off + 1] & 0xff) << 16)
                | ((b[off + 2] & 0xff) << 8)
                | (b[off + 3] & 0xff);
    }

    /** {@code 0x0303}-style text of a 16-bit value, as Netify writes versions and suites. */
    public static String hex16(int v) {
        return "0x"
                + HEX[(v >> 12) & 0xf]
                + HEX[(v >> 8) & 0xf]
                + HEX[(v >> 4) & 0xf]
                + HEX[v & 0xf];
    }

    public static String hex(byte[] b, int off, int len) {
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            out[2 * i] = HEX[(b[off + i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[off + i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Text of bytes that should be printable: ASCII kept, anything else replaced by '?', so that
     * hostile bytes never reach JSON or logs as control characters.
     */
    public static String printable(byte[] b, int off, int len) {
        char[] out = new char[len];
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xff;
            out[i] = c >= 0x20 && c < 0x7f ? (char) c : '?';
        }
        return new String(out);
    }

    public static boolean startsWith(byte[] b, int off, int len, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (len < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (b[off + i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    /** Hostname text: printable, lower case (ASCII rules, whatever the default locale). */
    public static String hostname(byte[] b, int off, int len) {
        return printable(b, off, len).toLowerCase(java.util.Locale.ROOT);
    }
}
