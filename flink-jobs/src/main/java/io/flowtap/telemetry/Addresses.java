package io.flowtap.telemetry;

import io.flowtap.dpi.IpText;

/** Text forms of addresses as Netify prints them. */
public final class Addresses {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String NO_MAC = "00:00:00:00:00:00";

    /**
     * The text of recently seen MAC addresses, by a hash of the address: a link's flows mostly have
     * the same two ends (hosts and their gateway), so a flow's row mostly reuses a string. Entries
     * are immutable and replaced whole, so threads may share the table without locks.
     */
    private static final MacText[] RECENT_MACS = new MacText[256];

    private record MacText(long bits, String text) {}

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
        long bits = 0;
        for (byte b : m) {
            bits = bits << 8 | (b & 0xff);
        }
        int slot = (int) (bits ^ bits >>> 17 ^ bits >>> 31) & (RECENT_MACS.length - 1);
        MacText recent = RECENT_MACS[slot];
        if (recent != null && recent.bits == bits) {
            return recent.text;
        }
        String text = format(m);
        RECENT_MACS[slot] = new MacText(bits, text);
        return text;
    }

    private static String format(byte[] m) {
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
