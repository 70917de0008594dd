package io.flowtap.capture.flow;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An immutable set of IPv4 and IPv6 networks in CIDR notation. */
public final class NetworkSet implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Netify's reserved ranges: what a LAN interface treats as local by default. */
    public static final List<String> RESERVED =
            List.of(
                    "127.0.0.0/8",
                    "10.0.0.0/8",
                    "100.64.0.0/10",
                    "172.16.0.0/12",
                    "192.168.0.0/16",
                    "fc00::/7",
                    "fe80::/10");

    private final List<String> cidrs;
    private final byte[][] prefixes;
    private final int[] lengths;

    private NetworkSet(List<String> cidrs, byte[][] prefixes, int[] lengths) {
        this.cidrs = cidrs;
        this.prefixes = prefixes;
        this.lengths = lengths;
    }

    public static NetworkSet empty() {
        return new NetworkSet(List.of(), new byte[0][], new int[0]);
    }

    /**
     * Parses networks such as {@code 10.0.0.0/8}, {@code fe80::/10} or a single address.
     *
     * @throws IllegalArgumentException naming the entry that is not a network
     */
    public static NetworkSet of(List<String> cidrs) {
        List<String> kept = new ArrayList<>(cidrs.size());
        byte[][] prefixes = new byte[cidrs.size()][];
        int[] lengths = new int[cidrs.size()];
        for (int i = 0; i < cidrs.size(); i++) {
            String c = cidrs.get(i).trim();
            int slash = c.indexOf('/');
            String addr = slash < 0 ? c : c.substring(0, slash);
            if (!addr.matches("[0-9a-fA-F:.]+") || !(addr.contains(".") || addr.contains(":"))) {
                throw new IllegalArgumentException("not an IP network: '" + c + "'");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP network: '" + c + "'", e);
            }
            int max = bytes.length * 8;
            int len;
            try {
                len = slash < 0 ? max : Integer.parseInt(c.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + c + "'", e);
            }
            if (len < 0 || len > max) {
                throw new IllegalArgumentException("prefix length out of range in '" + c + "'");
            }
            prefixes[i] = bytes;
            lengths[i] = len;
            kept.add(c);
        }
        return new NetworkSet(Collections.unmodifiableList(kept), prefixes, lengths);
    }

    public List<String> cidrs() {
        return cidrs;
    }

    /** True when the address (4 or 16 bytes, network order) is in one of the networks. */
    public boolean contains(byte[] addr, int addrLength) {
        for (int i = 0; i < prefixes.length; i++) {
            if (prefixes[i].length == addrLength && matches(prefixes[i], lengths[i], addr)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] prefix, int bits, byte[] addr) {
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (prefix[i] != addr[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (prefix[whole] & mask) == (addr[whole] & mask);
    }

    @Override
    public String toString() {
        return cidrs.toString();
    }
}
