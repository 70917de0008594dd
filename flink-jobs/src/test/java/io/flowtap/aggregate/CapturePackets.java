package io.flowtap.aggregate;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets of a capture as tshark exported them (testdata/scripts/export-packets.sh), and the
 * address rules the tests recompute aggregates with: private, link-local, loopback and ULA
 * addresses are local; multicast and broadcast are neither local nor Internet; the rest is
 * Internet.
 */
record CapturePackets(List<CapturePackets.Packet> packets) {
    record Packet(
            long ms,
            long length,
            String src,
            String dst,
            int ipProtocol,
            int srcPort,
            int dstPort,
            int vlan) {
        /** An unordered five-tuple with the VLAN: the conversation the packet belongs to. */
        String conversation() {
            String a = src + "/" + srcPort;
            String b = dst + "/" + dstPort;
            return vlan + " " + ipProtocol + " " + (a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
        }
    }

    static CapturePackets read(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        List<String[]> rows = new ArrayList<>();
        // Fragments after the first carry no ports: they take those of their datagram.
        java.util.Map<String, int[]> datagramPorts = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f[2].isEmpty() && f[4].isEmpty()) {
                continue; // not IP
            }
            rows.add(f);
            int sp = port(f[8], f[10]);
            int dp = port(f[9], f[11]);
            if (sp > 0 || dp > 0) {
                datagramPorts.put(datagram(f), new int[] {sp, dp});
            }
        }
        List<Packet> out = new ArrayList<>();
        for (String[] f : rows) {
            long ms = new BigDecimal(f[0]).movePointRight(3).longValue();
            boolean v4 = !f[2].isEmpty();
            int sp = port(f[8], f[10]);
            int dp = port(f[9], f[11]);
            if (sp == 0 && dp == 0 && datagramPorts.containsKey(datagram(f))) {
                sp = datagramPorts.get(datagram(f))[0];
                dp = datagramPorts.get(datagram(f))[1];
            }
            out.add(
                    new Packet(
                            ms,
                            Long.parseLong(f[1]),
                            v4 ? f[2] : f[4],
                            v4 ? f[3] : f[5],
                            protocol(f),
                            sp,
                            dp,
                            f[12].isEmpty() ? 0 : Integer.parseInt(f[12])));
        }
        return new CapturePackets(out);
    }

    /** The transport protocol, looking through an IPv6 fragment header. */
    private static int protocol(String[] f) {
        if (!f[2].isEmpty()) {
            return Integer.parseInt(f[6]);
        }
        String next = f[7].equals("0") ? f[20] : f[7]; // after a hop-by-hop header
        return next.equals("44") ? Integer.parseInt(f[16]) : Integer.parseInt(next);
    }

    /** The IP datagram a fragment belongs to: addresses, protocol and identification. */
    private static String datagram(String[] f) {
        boolean v4 = !f[2].isEmpty();
        String id = v4 ? f[15] : f[17];
        return (v4 ? f[2] + " " + f[3] : f[4] + " " + f[5]) + " " + protocol(f) + " " + id;
    }

    /**
     * The local end of each conversation: the local address when exactly one end is local,
     * otherwise the end that sent its first packet (Netify's rule for flows with both ends inside
     * or both outside).
     */
    java.util.Map<String, String> localEnds() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (Packet k : packets) {
            if (out.containsKey(k.conversation())) {
                continue;
            }
            boolean srcLocal = local(k.src());
            boolean dstLocal = local(k.dst());
            String src = k.src() + "/" + k.srcPort();
            String dst = k.dst() + "/" + k.dstPort();
            out.put(k.conversation(), srcLocal == dstLocal ? src : srcLocal ? src : dst);
        }
        return out;
    }

    /** Whether the packet was sent by the local end of its conversation. */
    static boolean fromLocal(Packet k, java.util.Map<String, String> localEnds) {
        return localEnds.get(k.conversation()).equals(k.src() + "/" + k.srcPort());
    }

    /** Neither end multicast or broadcast, and at least one end on the Internet. */
    static boolean toInternet(Packet k) {
        return !special(k.src()) && !special(k.dst()) && (internet(k.src()) || internet(k.dst()));
    }

    private static boolean special(String ip) {
        return address(ip).isMulticastAddress() || ip.equals("255.255.255.255");
    }

    private static int port(String tcp, String udp) {
        return !tcp.isEmpty() ? Integer.parseInt(tcp) : !udp.isEmpty() ? Integer.parseInt(udp) : 0;
    }

    static boolean local(String ip) {
        InetAddress a = address(ip);
        return a.isSiteLocalAddress()
                || a.isLinkLocalAddress()
                || a.isLoopbackAddress()
                || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc);
    }

    static boolean internet(String ip) {
        InetAddress a = address(ip);
        return !local(ip) && !a.isMulticastAddress() && !ip.equals("255.255.255.255");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // tshark prints literals: no name lookup
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
