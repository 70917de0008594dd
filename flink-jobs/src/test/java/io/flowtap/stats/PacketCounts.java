package io.flowtap.stats;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Netify's interface counters recomputed from tshark's per-packet export of a capture
 * (testdata/scripts/export-packets.sh), per interval of capture time aligned to the epoch. The TCP
 * sequence errors follow the rule Netify's agent documents in its source: per flow and direction, a
 * segment at the next expected number advances it, one wholly before it is a retransmission,
 * anything else is an error; a SYN or FIN takes one number; a bare SYN on a known flow starts it
 * afresh; fragments are not followed.
 */
final class PacketCounts {
    static final List<String> NAMES =
            List.of(
                    "raw",
                    "ethernet",
                    "wire_bytes",
                    "largest_bytes",
                    "ip",
                    "ip_bytes",
                    "tcp",
                    "udp",
                    "icmp",
                    "igmp",
                    "vlan",
                    "fragmented",
                    "tcp_resets",
                    "tcp_seq_errors");

    private PacketCounts() {}

    /** The counters of the whole capture. */
    static Map<String, Long> total(Path tsv) throws IOException {
        return perInterval(tsv, 0).values().iterator().next();
    }

    /**
     * Counters per interval start (ms since the epoch), for intervals with frames; {@code
     * intervalMs} 0 puts every frame in one interval, keyed 0.
     */
    static Map<Long, Map<String, Long>> perInterval(Path tsv, long intervalMs) throws IOException {
        Map<Long, Map<String, Long>> out = new TreeMap<>();
        Map<String, long[]> nextSeq = new HashMap<>();
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            long ns = new BigDecimal(f[0]).movePointRight(9).longValue();
            long key = intervalMs > 0 ? Math.floorDiv(ns, intervalMs * 1_000_000L) * intervalMs : 0;
            Map<String, Long> m = out.computeIfAbsent(key, k -> zeros());
            long len = Long.parseLong(f[1]);
            m.merge("raw", 1L, Long::sum);
            m.merge("wire_bytes", len, Long::sum);
            m.put("largest_bytes", Math.max(m.get("largest_bytes"), len));
            if (!f[13].isEmpty()) {
                m.merge("ethernet", 1L, Long::sum);
            }
            boolean v4 = !f[2].isEmpty();
            if (!v4 && f[4].isEmpty()) {
                continue;
            }
            m.merge("ip", 1L, Long::sum);
            m.merge("ip_bytes", len, Long::sum);
            int proto = v4 ? Integer.parseInt(f[6]) : ipv6Protocol(f);
            switch (proto) {
                case 6 -> m.merge("tcp", 1L, Long::sum);
                case 17 -> m.merge("udp", 1L, Long::sum);
                case 1, 58 -> m.merge("icmp", 1L, Long::sum);
                case 2 -> m.merge("igmp", 1L, Long::sum);
                default -> {}
            }
            if (!f[12].isEmpty()) {
                m.merge("vlan", 1L, Long::sum);
            }
            boolean fragment =
                    v4
                            ? f[18].equals("1")
                                    || f[18].equals("True")
                                    || (!f[19].isEmpty() && !f[19].equals("0"))
                            : f[7].equals("44") || f[20].equals("44");
            if (fragment) {
                m.merge("fragmented", 1L, Long::sum);
            }
            if (proto != 6 || f.length < 24 || f[21].isEmpty()) {
                continue;
            }
            int flags = Integer.decode(f[21]);
            if ((flags & 0x04) != 0) {
                m.merge("tcp_resets", 1L, Long::sum);
            }
            if (!fragment && sequenceError(f, flags, v4, nextSeq)) {
                m.merge("tcp_seq_errors", 1L, Long::sum);
            }
        }
        return out;
    }

    private static boolean sequenceError(
            String[] f, int flags, boolean v4, Map<String, long[]> nextSeq) {
        String src = (v4 ? f[2] : f[4]) + "/" + f[8];
        String dst = (v4 ? f[3] : f[5]) + "/" + f[9];
        boolean srcLower = src.compareTo(dst) < 0;
        String flow = f[12] + " " + (srcLower ? src + " " + dst : dst + " " + src);
        long[] next = nextSeq.get(flow);
        boolean bareSyn = (flags & 0x12) == 0x02;
        if (next == null || bareSyn) {
            // [lower next, lower known, upper next, upper known]
            next = new long[4];
            nextSeq.put(flow, next);
        }
        int at = srcLower ? 0 : 2;
        long seq = Long.parseLong(f[22]);
        long length = Long.parseLong(f[23]) + ((flags & 0x03) != 0 ? 1 : 0);
        long end = (seq + length) & 0xffffffffL;
        if (next[at + 1] == 0) {
            next[at] = end;
            next[at + 1] = 1;
            return false;
        }
        int ahead = (int) (seq - next[at]);
        if (ahead == 0) {
            if (length > 0) {
                next[at] = end;
            }
            return false;
        }
        if (ahead < 0 && length > 0 && (int) (end - next[at]) <= 0) {
            return false;
        }
        if (ahead > 0 || length > 0) {
            next[at] = end;
        }
        return true;
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> m = new TreeMap<>();
        NAMES.forEach(n -> m.put(n, 0L));
        return m;
    }

    /** The transport protocol of an IPv6 packet, after a hop-by-hop and a fragment header. */
    private static int ipv6Protocol(String[] f) {
        String next = f[7].equals("0") ? f[20] : f[7];
        return next.equals("44") ? Integer.parseInt(f[16]) : Integer.parseInt(next);
    }
}
