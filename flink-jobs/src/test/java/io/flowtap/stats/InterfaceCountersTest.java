package io.flowtap.stats;

import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.DecoderCounters;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;
import io.flowtap.testing.TestData;
import io.flowtap.testing.Tshark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counters of {@code interface_stats} and {@code global_stats} (the decoder's) against tshark's
 * reading of the same capture: frames and bytes, IP packets and bytes, packets by transport
 * protocol, VLAN-tagged and fragmented IP packets, the largest frame. The sample's export is
 * committed; the shared nDPI captures are exported when the test runs (skipped without them or
 * tshark).
 */
class InterfaceCountersTest {
    @TempDir Path tmp;

    @Test
    void sampleCountersEqualTsharks() throws Exception {
        assertThat(counters(TestData.pcap("flowtap-sample.pcap")))
                .isEqualTo(tshark(TestData.expected("flowtap-sample.packets.tsv")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "iphone.pcap",
                "tor.pcap",
                "http_ipv6.pcap",
                "doh.pcapng",
                "dns_fragmented.pcap",
                "ssdp-m-search.pcap",
                "smb_deletefile.pcap"
            })
    void unseenCaptureCountersEqualTsharks(String name) throws Exception {
        Path[] exported = Tshark.exportSharedCapture(name, tmp);
        Path capture = exported[0];
        Path tsv = exported[1];
        Map<String, Long> expected = tshark(tsv);
        assertThat(counters(capture)).as(name).isEqualTo(expected);
        System.out.println(name + ": " + expected);
    }

    private static Map<String, Long> counters(Path capture) throws Exception {
        PacketDecoder decoder = new PacketDecoder();
        DecodedPacket out = new DecodedPacket();
        Frame f = new Frame();
        try (CaptureReader r = CaptureReader.open(capture, "pcap")) {
            while (r.next(f)) {
                decoder.decode(f, out);
            }
        }
        DecoderCounters c = decoder.counters();
        Map<String, Long> m = new TreeMap<>();
        m.put("raw", c.raw);
        m.put("wire_bytes", c.wireBytes);
        m.put("largest_bytes", c.largestBytes);
        m.put("ip", c.ip);
        m.put("ip_bytes", c.ipBytes);
        m.put("tcp", c.tcp);
        m.put("udp", c.udp);
        m.put("icmp", c.icmp);
        m.put("igmp", c.igmp);
        m.put("vlan", c.vlan);
        m.put("fragmented", c.fragmented);
        return m;
    }

    /** The same counters from tshark's per-packet export (testdata/scripts/export-packets.sh). */
    private static Map<String, Long> tshark(Path tsv) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        for (String k :
                List.of(
                        "raw",
                        "wire_bytes",
                        "largest_bytes",
                        "ip",
                        "ip_bytes",
                        "tcp",
                        "udp",
                        "icmp",
                        "igmp",
                        "vlan",
                        "fragmented")) {
            m.put(k, 0L);
        }
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            long len = Long.parseLong(f[1]);
            m.merge("raw", 1L, Long::sum);
            m.merge("wire_bytes", len, Long::sum);
            m.put("largest_bytes", Math.max(m.get("largest_bytes"), len));
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
        }
        return m;
    }

    /** The transport protocol of an IPv6 packet, after a hop-by-hop and a fragment header. */
    private static int ipv6Protocol(String[] f) {
        String next = f[7].equals("0") ? f[20] : f[7];
        return next.equals("44") ? Integer.parseInt(f[16]) : Integer.parseInt(next);
    }
}
