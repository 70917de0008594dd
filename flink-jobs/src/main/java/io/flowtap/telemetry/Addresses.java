package io.flowtap.telemetry;

import io.flowtap.dpi.IpText;

/** Text forms of addresses as Netify prints them. */
public final class Addresses {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String NO_MAC = "00:00:00:00:00:00";

    private Addresses() {}

    /** Dotted quad for IPv4; RFC 5952 canonical text (lower case, longest zero run as ::). */
    public static String ip(byte[] a) {
        return IpText.format(a);
    }

    /** {@code aa:bb:cc:dd:ee:ff}; all zeros when the link has no MAC addresses. */
    public static String mac(byte[] m) {
        if (m == null || m.length != 6) {
            return NO_MAC;
        }
        char[] out = new char[17];
        for (int i = 0; i < 6; i++) {
            out[3 * i] = HEX[(m[i] >> 4) & 0xf];
            out[3 * i + 1] = HEX[m[i] & 0xf];
            if (i < 5) {
                out[3 * i + 2] = ':';
            }
        }
        return new String(out);
    }
}
