package io.flowtap.telemetry;

/** Text forms of addresses as Netify prints them. */
public final class Addresses {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String NO_MAC = "00:00:00:00:00:00";

    private Addresses() {}

    /** Dotted quad for IPv4; RFC 5952 canonical text (lower case, longest zero run as ::). */
    public static String ip(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("address of " + a.length + " bytes");
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        // Longest run of two or more zero words; the first one wins a tie (RFC 5952 4.2.3).
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
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
