package io.flowtap.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Rewrites an Ethernet frame of a seed capture into copy {@code k} of it: LAN addresses move to
 * copy {@code k}'s own hosts (IPv4 private ranges into 10.0.0.0/8, one /24 per seed subnet and
 * copy; IPv6 unique-local addresses get the copy number in their third group), MAC addresses that
 * follow a host's address move with it, and the name {@code flowtap} in TCP and UDP payloads (SNI,
 * HTTP Host, DNS names, certificates) becomes a name of the copy's own, so that copies ask for
 * different hosts; ephemeral ports move too. Checksums come out right: whole TCP segments and UDP
 * datagrams are summed again (loopback seeds carry only offload's partial sums), and the IPv4
 * header, ICMPv6 and fragments' checksums are updated (RFC 1624) for the addresses. Public
 * addresses and everything else stay as recorded.
 */
final class FrameRewriter {
    private static final byte[] NAME =
            "flowtap".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Seed IPv4 subnets (/24, as an int) in the order they were first seen. */
    private final Map<Integer, Integer> subnets = new HashMap<>();

    /**
     * Rewrites {@code f} (one whole Ethernet frame) in place for copy {@code k}.
     *
     * @return whether the frame was IP
     */
    boolean rewrite(byte[] f, int len, int k) {
        int p = 12;
        int type = u16(f, p);
        while ((type == 0x8100 || type == 0x88a8) && p + 6 <= len) {
            p += 4;
            type = u16(f, p);
        }
        p += 2;
        if (type == 0x0800 && p + 20 <= len) {
            ipv4(f, len, p, k);
            return true;
        }
        if (type == 0x86dd && p + 40 <= len) {
            ipv6(f, len, p, k);
            return true;
        }
        return false;
    }

    private void ipv4(byte[] f, int len, int ip, int k) {
        int ihl = (f[ip] & 0x0f) * 4;
        int proto = f[ip + 9] & 0xff;
        int flagsOffset = u16(f, ip + 6);
        boolean fragment = (flagsOffset & 0x3fff) != 0;
        boolean first = (flagsOffset & 0x1fff) == 0;
        int l4 = ip + ihl;
        int l4Checksum = !first ? -1 : proto == 6 ? l4 + 16 : proto == 17 ? l4 + 6 : -1;
        if (l4Checksum >= 0 && (l4Checksum + 2 > len || proto == 17 && u16(f, l4Checksum) == 0)) {
            l4Checksum = -1; // truncated, or a UDP datagram sent without a checksum
        }
        for (int a = ip + 12; a <= ip + 16; a += 4) {
            byte[] old = java.util.Arrays.copyOfRange(f, a, a + 4);
            if (!lanV4(old)) {
                continue;
            }
            byte[] moved = movedV4(old, k);
            System.arraycopy(moved, 0, f, a, 4);
            adjust(f, ip + 10, old, moved);
            if (l4Checksum >= 0 && fragment) {
                adjust(f, l4Checksum, old, moved);
            }
            moveMac(f, old, moved);
        }
        if (!fragment && (proto == 6 || proto == 17) && l4 + 4 <= len) {
            ports(f, l4, k);
            int total = Math.min(len, ip + u16(f, ip + 2));
            payload(f, ip, l4, total, proto, 4, k);
        }
    }

    private void ipv6(byte[] f, int len, int ip, int k) {
        int next = f[ip + 6] & 0xff;
        int l4 = ip + 40;
        boolean fragment = false;
        // Hop-by-hop, routing and destination options, then perhaps a fragment header.
        while ((next == 0 || next == 43 || next == 60 || next == 44) && l4 + 8 <= len) {
            if (next == 44) {
                fragment = true;
                boolean firstFragment = (u16(f, l4 + 2) & 0xfff8) == 0;
                next = f[l4] & 0xff;
                l4 += 8;
                if (!firstFragment) {
                    next = -1;
                }
                break;
            }
            int hdr = ((f[l4 + 1] & 0xff) + 1) * 8;
            next = f[l4] & 0xff;
            l4 += hdr;
        }
        int l4Checksum = next == 6 ? l4 + 16 : next == 17 ? l4 + 6 : next == 58 ? l4 + 2 : -1;
        if (l4Checksum + 2 > len) {
            l4Checksum = -1;
        }
        for (int a = ip + 8; a <= ip + 24; a += 16) {
            byte[] old = java.util.Arrays.copyOfRange(f, a, a + 16);
            if ((old[0] & 0xfe) != 0xfc) {
                continue; // only unique-local addresses are LAN hosts here
            }
            byte[] moved = old.clone();
            moved[4] ^= (byte) (k >> 8);
            moved[5] ^= (byte) k;
            System.arraycopy(moved, 0, f, a, 16);
            if (l4Checksum >= 0 && (fragment || next == 58)) {
                adjust(f, l4Checksum, old, moved);
            }
            moveMac(
                    f,
                    java.util.Arrays.copyOfRange(old, 12, 16),
                    java.util.Arrays.copyOfRange(moved, 12, 16));
        }
        if (!fragment && (next == 6 || next == 17) && l4 + 4 <= len) {
            ports(f, l4, k);
            int total = Math.min(len, ip + 40 + u16(f, ip + 4));
            payload(f, ip, l4, total, next, 6, k);
        }
    }

    /**
     * Moves ephemeral ports (32768 and up, where Linux picks client ports; the seeds' servers
     * listen below) by a step of the copy's own, so that even flows between public addresses, which
     * keep theirs, differ from copy to copy.
     */
    private static void ports(byte[] f, int l4, int k) {
        for (int at = l4; at <= l4 + 2; at += 2) {
            int port = u16(f, at);
            if (port >= 32768) {
                int moved = 32768 + (int) ((port - 32768 + (long) k * 7919) % 32768);
                f[at] = (byte) (moved >> 8);
                f[at + 1] = (byte) moved;
            }
        }
    }

    /**
     * Renames {@code flowtap} in a whole TCP segment or UDP datagram and sums it again (seeds
     * recorded on loopback carry only the partial sums of checksum offload).
     */
    private static void payload(byte[] f, int ip, int l4, int end, int proto, int version, int k) {
        int header = proto == 6 ? (f[l4 + 12] & 0xf0) >> 2 : 8;
        if (l4 + header > end) {
            return;
        }
        byte[] name = nameOf(k);
        for (int i = l4 + header; i + NAME.length <= end; i++) {
            if (f[i] == NAME[0] && matches(f, i)) {
                System.arraycopy(name, 0, f, i, name.length);
                i += NAME.length - 1;
            }
        }
        int sum = proto == 6 ? l4 + 16 : l4 + 6;
        if (proto == 17 && version == 4 && u16(f, sum) == 0) {
            return;
        }
        f[sum] = 0;
        f[sum + 1] = 0;
        int c = Checksums.transport(f, ip, version, proto, l4, end - l4);
        if (proto == 17 && c == 0) {
            c = 0xffff;
        }
        f[sum] = (byte) (c >> 8);
        f[sum + 1] = (byte) c;
    }

    private static boolean matches(byte[] f, int i) {
        for (int j = 1; j < NAME.length; j++) {
            if (f[i + j] != NAME[j]) {
                return false;
            }
        }
        return true;
    }

    /** The copy's name in place of {@code flowtap}: {@code f} and six base-36 digits. */
    static byte[] nameOf(int k) {
        String digits = Integer.toString(k, 36);
        String s = "f" + "000000".substring(digits.length()) + digits;
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean lanV4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        return b0 == 10 || b0 == 192 && b1 == 168 || b0 == 172 && (b1 & 0xf0) == 16;
    }

    /** 10.x.y.d, where x.y numbers the copy's version of the seed subnet a.b.c. */
    private byte[] movedV4(byte[] a, int k) {
        int subnet = ((a[0] & 0xff) << 16) | ((a[1] & 0xff) << 8) | (a[2] & 0xff);
        int index = subnets.computeIfAbsent(subnet, s -> subnets.size());
        if (index >= 16) {
            throw new IllegalArgumentException("more than 16 LAN subnets in the seed capture");
        }
        int n = k * 16 + index;
        if (n >= 65536) {
            throw new IllegalArgumentException("at most 4096 copies");
        }
        return new byte[] {10, (byte) (n >> 8), (byte) n, a[3]};
    }

    /** A MAC of the form 02:00 followed by an address's last four bytes follows the address. */
    private static void moveMac(byte[] f, byte[] oldAddr, byte[] newAddr) {
        int n = oldAddr.length;
        for (int m = 0; m <= 6; m += 6) {
            if (f[m] == 0x02
                    && f[m + 1] == 0x00
                    && f[m + 2] == oldAddr[n - 4]
                    && f[m + 3] == oldAddr[n - 3]
                    && f[m + 4] == oldAddr[n - 2]
                    && f[m + 5] == oldAddr[n - 1]) {
                System.arraycopy(newAddr, n - 4, f, m + 2, 4);
            }
        }
    }

    /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') over the 16-bit words that changed. */
    private static void adjust(byte[] f, int at, byte[] old, byte[] moved) {
        int sum = ~u16(f, at) & 0xffff;
        for (int i = 0; i < old.length; i += 2) {
            sum += ~(((old[i] & 0xff) << 8) | (old[i + 1] & 0xff)) & 0xffff;
            sum += ((moved[i] & 0xff) << 8) | (moved[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int c = ~sum & 0xffff;
        f[at] = (byte) (c >> 8);
        f[at + 1] = (byte) c;
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
