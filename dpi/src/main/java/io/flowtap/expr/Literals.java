package io.flowtap.expr;

/**
 * Strict parsing of address literals: IPv4, IPv6 (never a name lookup), an optional prefix length,
 * and MAC addresses.
 */
public final class Literals {
    private Literals() {}

    /** An address or network: the address bytes and the prefix length in bits. */
    public record Network(byte[] address, int bits) implements java.io.Serializable {
        public boolean contains(byte[] a) {
            if (a == null || a.length != address.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != address[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (address[full] & mask);
        }
    }

    /** {@code a.b.c.d}, an IPv6 literal, either with {@code /bits}; null when it is neither. */
    public static Network network(String s) {
        String addr = s;
        int bits = -1;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            addr = s.substring(0, slash);
            String b = s.substring(slash + 1);
            if (b.isEmpty() || b.length() > 3 || !decimal(b)) {
                return null;
            }
            bits = Integer.parseInt(b);
        }
        byte[] a = addr.indexOf(':') >= 0 ? ipv6(addr) : ipv4(addr);
        if (a == null) {
            return null;
        }
        if (bits < 0) {
            bits = a.length * 8;
        } else if (bits > a.length * 8) {
            return null;
        }
        return new Network(a, bits);
    }

    static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !decimal(p)) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static byte[] ipv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap >= 0 ? s.substring(0, gap) : s;
        String tail = gap >= 0 ? s.substring(gap + 2) : "";
        int[] h = groups(head);
        int[] t = groups(tail);
        if (h == null || t == null) {
            return null;
        }
        int words = h.length + t.length;
        if (gap < 0 ? words != 8 : words > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < h.length; i++) {
            out[2 * i] = (byte) (h[i] >> 8);
            out[2 * i + 1] = (byte) h[i];
        }
        for (int i = 0; i < t.length; i++) {
            int w = 8 - t.length + i;
            out[2 * w] = (byte) (t[i] >> 8);
            out[2 * w + 1] = (byte) t[i];
        }
        return out;
    }

    /** 16-bit groups separated by ':'; a last group may be an IPv4 address (two groups). */
    private static int[] groups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean v4 = parts[n - 1].indexOf('.') >= 0;
        int[] out = new int[v4 ? n + 1 : n];
        for (int i = 0; i < (v4 ? n - 1 : n); i++) {
            int v = hexGroup(parts[i], 4);
            if (v < 0) {
                return null;
            }
            out[i] = v;
        }
        if (v4) {
            byte[] a = ipv4(parts[n - 1]);
            if (a == null) {
                return null;
            }
            out[n - 1] = ((a[0] & 0xFF) << 8) | (a[1] & 0xFF);
            out[n] = ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
        }
        return out;
    }

    /** Six groups of one or two hex digits separated by ':' or '-'; null otherwise. */
    static byte[] mac(String s) {
        String[] parts = s.split("[:-]", -1);
        if (parts.length != 6) {
            return null;
        }
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            int v = hexGroup(parts[i], 2);
            if (v < 0) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static boolean decimal(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** The value of an ASCII hex digit, or -1. */
    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** One to {@code maxDigits} hex digits as a number, or -1. */
    private static int hexGroup(String p, int maxDigits) {
        if (p.isEmpty() || p.length() > maxDigits) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < p.length(); k++) {
            int d = hex(p.charAt(k));
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
