package io.flowtap.stats;

import io.flowtap.capture.decode.DecoderCounters;
import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.flow.PacketEventAssembler;
import io.flowtap.capture.source.CaptureEventReader;
import io.flowtap.testing.TestData;
import io.flowtap.testing.Tshark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counters of {@code interface_stats} and {@code global_stats} (the decoder's and the event
 * assembler's) against tshark's reading of the same capture: frames, Ethernet frames and bytes, IP
 * packets and bytes, packets by transport protocol, VLAN-tagged and fragmented IP packets, the
 * largest frame, TCP resets and sequence errors. The sample's export is committed; the shared nDPI
 * captures are exported when the test runs (skipped without them or tshark).
 */
class InterfaceCountersTest {
    @TempDir Path tmp;

    @Test
    void sampleCountersEqualTsharks() throws Exception {
        assertThat(counters(TestData.pcap("flowtap-sample.pcap")))
                .isEqualTo(PacketCounts.total(TestData.expected("flowtap-sample.packets.tsv")));
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
        Map<String, Long> expected = PacketCounts.total(tsv);
        assertThat(counters(capture)).as(name).isEqualTo(expected);
        System.out.println(name + ": " + expected);
    }

    /** The counters of the decoder and the event assembler after reading the whole capture. */
    private static Map<String, Long> counters(Path capture) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        PacketEventAssembler assembler = new PacketEventAssembler("test", 0, 65_536);
        try (CaptureEventReader r =
                new CaptureEventReader(CaptureReader.open(capture, "pcap"), assembler)) {
            while (r.next() != null) {
                // counting only
            }
            DecoderCounters c = r.counters();
            m.put("raw", c.raw);
            m.put("ethernet", c.ethernet);
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
            m.put("tcp_resets", c.tcpResets);
        }
        m.put("tcp_seq_errors", assembler.tcpSeqErrors());
        return m;
    }
}
