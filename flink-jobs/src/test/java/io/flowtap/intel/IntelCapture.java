package io.flowtap.intel;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The intelligence capture as tshark read it (testdata/scripts/export-intel.sh): its packets and
 * tshark's TCP and UDP streams, each with the end that sent its first packet (the origin), how many
 * packets the other end answered with and whether a reset was among them.
 */
final class IntelCapture {
    /** One packet. */
    record Packet(
            long ms,
            long length,
            String ethSrc,
            String ethDst,
            String src,
            String dst,
            int ipProtocol,
            int srcPort,
            int dstPort,
            int tcpFlags,
            String stream,
            boolean dnsResponse,
            String dnsName) {}

    /** One TCP or UDP conversation. */
    static final class Stream {
        final Packet first;
        long answers;
        boolean reset;
        Packet lastAnswer;

        Stream(Packet first) {
            this.first = first;
        }

        /** As the scan drivers define it: no answer, or (TCP) one answer and a reset. */
        boolean failed() {
            return answers == 0 || first.ipProtocol == 6 && answers <= 1 && reset;
        }
    }

    final List<Packet> packets = new ArrayList<>();
    final Map<String, Stream> streams = new LinkedHashMap<>();

    static IntelCapture read(Path tsv) throws IOException {
        IntelCapture c = new IntelCapture();
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f[4].isEmpty()) {
                continue; // not IPv4: the capture has no other traffic of interest
            }
            int proto = Integer.parseInt(f[6]);
            String stream =
                    !f[12].isEmpty() ? "tcp/" + f[12] : !f[13].isEmpty() ? "udp/" + f[13] : null;
            Packet p =
                    new Packet(
                            new BigDecimal(f[0]).movePointRight(3).longValue(),
                            Long.parseLong(f[1]),
                            f[2],
                            f[3],
                            f[4],
                            f[5],
                            proto,
                            port(f[7], f[9]),
                            port(f[8], f[10]),
                            f[11].isEmpty() ? 0 : Integer.decode(f[11]),
                            stream,
                            f[14].equals("1"),
                            f[15]);
            c.packets.add(p);
            if (stream == null) {
                continue;
            }
            Stream s = c.streams.computeIfAbsent(stream, k -> new Stream(p));
            if (!p.src.equals(s.first.src) || p.srcPort != s.first.srcPort) {
                s.answers++;
                s.lastAnswer = p;
            }
            if ((p.tcpFlags & 0x04) != 0) {
                s.reset = true;
            }
        }
        return c;
    }

    static boolean lan(String ip) {
        return ip.startsWith("192.168.77.");
    }

    /** Start of the epoch-aligned window of {@code sizeMs} that holds {@code ms}. */
    static long window(long ms, long sizeMs) {
        return Math.floorDiv(ms, sizeMs) * sizeMs;
    }

    private static int port(String tcp, String udp) {
        return !tcp.isEmpty() ? Integer.parseInt(tcp) : udp.isEmpty() ? 0 : Integer.parseInt(udp);
    }
}
