package io.flowtap.capture.decode;

import io.flowtap.capture.Hex;
import io.flowtap.capture.file.Frame;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.flowtap.capture.Packets.ETH_IPV4;
import static io.flowtap.capture.Packets.IPV4_TCP_40;
import static io.flowtap.capture.Packets.IPV4_UDP_33;
import static io.flowtap.capture.Packets.TCP_SYN;
import static io.flowtap.capture.Packets.UDP_HELLO;
import static org.assertj.core.api.Assertions.assertThat;

/** Every expected value below is read off the hand-written bytes (see {@code Packets}). */
class PacketDecoderTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final DecodedPacket p = new DecodedPacket();

    private static Frame frame(int linkType, String hex) {
        return frame(linkType, Hex.bytes(hex));
    }

    private static Frame frame(int linkType, byte[] data) {
        Frame f = new Frame();
        // Some padding in front: decoding must honour the offset.
        f.data = Hex.concat(new byte[3], data);
        f.offset = 3;
        f.capturedLength = data.length;
        f.originalLength = data.length;
        f.linkType = linkType;
        f.timestampNanos = 42;
        return f;
    }

    private DecodeResult decode(Frame f) {
        return decoder.decode(f, p);
    }

    private static String ip(byte[] a, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (n == 4) {
                sb.append(i > 0 ? "." : "").append(a[i] & 0xff);
            } else {
                sb.append(String.format("%02x", a[i]));
            }
        }
        return sb.toString();
    }

    @Test
    void ethernetIpv4TcpSyn() {
        Frame f = frame(1, ETH_IPV4 + IPV4_TCP_40 + TCP_SYN);
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.hasMacs).isTrue();
        assertThat(p.dstMac).containsExactly(Hex.bytes("001122334455"));
        assertThat(p.srcMac).containsExactly(Hex.bytes("66778899aabb"));
        assertThat(p.ipVersion).isEqualTo(4);
        assertThat(p.ipProtocol).isEqualTo(6);
        assertThat(ip(p.srcAddr, 4)).isEqualTo("192.168.1.10");
        assertThat(ip(p.dstAddr, 4)).isEqualTo("93.184.216.34");
        assertThat(p.dscp).isEqualTo(46);
        assertThat(p.ipLength).isEqualTo(40);
        assertThat(p.srcPort).isEqualTo(51000);
        assertThat(p.dstPort).isEqualTo(443);
        assertThat(p.tcpSeq).isEqualTo(0x01020304);
        assertThat(p.tcpAck).isZero();
        assertThat(p.tcpFlags).isEqualTo(0x02);
        assertThat(p.payloadLength).isZero();
        assertThat(p.wireLength).isEqualTo(54);
        assertThat(p.timestampNanos).isEqualTo(42);
        assertThat(p.vlanId).isZero();
        assertThat(p.fragment).isFalse();
        DecoderCounters c = decoder.counters();
        assertThat(c.raw).isEqualTo(1);
        assertThat(c.ethernet).isEqualTo(1);
        assertThat(c.ip4).isEqualTo(1);
        assertThat(c.tcp).isEqualTo(1);
        assertThat(c.ipBytes).isEqualTo(54);
    }

    @Test
    void udpPayloadIsLocatedAndPaddingIgnored() {
        // Ethernet pads short frames to 60 bytes; the IP length says where the datagram ends.
        Frame f = frame(1, ETH_IPV4 + IPV4_UDP_33 + UDP_HELLO + "00000000000000000000000000");
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.ipProtocol).isEqualTo(17);
        assertThat(p.srcPort).isEqualTo(5353);
        assertThat(p.dstPort).isEqualTo(53);
        assertThat(p.payloadLength).isEqualTo(5);
        assertThat(p.payloadCaptured).isEqualTo(5);
        assertThat(Arrays.copyOfRange(f.data, p.payloadOffset, p.payloadOffset + 5))
                .isEqualTo("hello".getBytes());
        assertThat(p.wireLength).isEqualTo(60);
    }

    @Test
    void snapLengthCutsPayloadNotTheHeaders() {
        byte[] whole = Hex.bytes(ETH_IPV4 + IPV4_UDP_33 + UDP_HELLO);
        Frame f = frame(1, Arrays.copyOf(whole, whole.length - 3));
        f.originalLength = whole.length;
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.payloadLength).isEqualTo(5);
        assertThat(p.payloadCaptured).isEqualTo(2);
        assertThat(p.wireLength).isEqualTo(whole.length);
    }

    @Test
    void vlanTag() {
        Frame f = frame(1, "001122334455 66778899aabb 8100 0064 0800" + IPV4_UDP_33 + UDP_HELLO);
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.vlanId).isEqualTo(100);
        assertThat(p.vlanTags).isEqualTo(1);
        assertThat(decoder.counters().vlan).isEqualTo(1);
    }

    @Test
    void qinqInnerTagIsTheFlowVlan() {
        // 802.1ad outer tag: PCP 3, VLAN 200 (0x60c8); inner 802.1Q: VLAN 300 (0x012c).
        Frame f =
                frame(
                        1,
                        "001122334455 66778899aabb 88a8 60c8 8100 012c 0800"
                                + IPV4_UDP_33
                                + UDP_HELLO);
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.vlanId).isEqualTo(300);
        assertThat(p.vlanTags).isEqualTo(2);
        assertThat(p.srcPort).isEqualTo(5353);
    }

    @Test
    void mplsLabelStack() {
        // Label 16, S=0; label 17, S=1, TTL 64.
        Frame f =
                frame(
                        1,
                        "001122334455 66778899aabb 8847 00010040 00011140"
                                + IPV4_UDP_33
                                + UDP_HELLO);
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.mplsLabels).isEqualTo(2);
        assertThat(p.dstPort).isEqualTo(53);
        assertThat(decoder.counters().mpls).isEqualTo(1);
    }

    @Test
    void pppoeSession() {
        // ver/type 0x11, code 0, session 1, length 35, PPP protocol 0x0021 (IPv4).
        Frame f =
                frame(
                        1,
                        "001122334455 66778899aabb 8864 1100 0001 0023 0021"
                                + IPV4_UDP_33
                                + UDP_HELLO);
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.pppoe).isTrue();
        assertThat(p.srcPort).isEqualTo(5353);
        assertThat(decoder.counters().pppoe).isEqualTo(1);
    }

    @Test
    void pppoeDiscoveryAndArpAreNotIp() {
        assertThat(decode(frame(1, "ffffffffffff 66778899aabb 8863 1109 0000 0000")))
                .isEqualTo(DecodeResult.NOT_IP);
        assertThat(decode(frame(1, "ffffffffffff 66778899aabb 0806 0001 0800 0604 0001")))
                .isEqualTo(DecodeResult.NOT_IP);
        assertThat(decoder.counters().notIp).isEqualTo(2);
        assertThat(decoder.counters().discarded).isZero();
    }

    @Test
    void linuxCookedV1() {
        // Packet type 0 (to us), ARPHRD_ETHER, address length 6, address + 2 pad, protocol IPv4.
        Frame f = frame(113, "0000 0001 0006 66778899aabb0000 0800" + IPV4_UDP_33 + UDP_HELLO);
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.hasMacs).isFalse();
        assertThat(ip(p.dstAddr, 4)).isEqualTo("10.0.0.2");
    }

    private static final String IPV6_UDP =
            // Version 6, traffic class 0xb8 (DSCP 46), flow label 0, payload 13, next UDP, hop 64,
            // src 2001:db8::1, dst 2001:db8::2
            "6b800000 000d 11 40"
                    + "20010db8000000000000000000000001"
                    + "20010db8000000000000000000000002"
                    + UDP_HELLO;

    @Test
    void linuxCookedV2Ipv6() {
        // Protocol IPv6, reserved, ifindex 2, ARPHRD_ETHER, packet type 4 (outgoing), addr len 6.
        Frame f = frame(276, "86dd 0000 00000002 0001 04 06 66778899aabb0000" + IPV6_UDP);
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.ipVersion).isEqualTo(6);
        assertThat(p.dscp).isEqualTo(46);
        assertThat(ip(p.srcAddr, 16)).isEqualTo("20010db8000000000000000000000001");
        assertThat(p.payloadLength).isEqualTo(5);
    }

    @Test
    void bsdNullInEitherByteOrderAndLoop() {
        assertThat(decode(frame(0, "02000000" + IPV4_UDP_33 + UDP_HELLO)))
                .isEqualTo(DecodeResult.OK);
        assertThat(decode(frame(0, "00000018" + IPV6_UDP))).isEqualTo(DecodeResult.OK);
        assertThat(p.ipVersion).isEqualTo(6);
        assertThat(decode(frame(0, "1e000000" + IPV6_UDP))).isEqualTo(DecodeResult.OK);
        assertThat(decode(frame(108, "00000002" + IPV4_UDP_33 + UDP_HELLO)))
                .isEqualTo(DecodeResult.OK);
        assertThat(decode(frame(0, "07000000" + IPV4_UDP_33))).isEqualTo(DecodeResult.NOT_IP);
    }

    @Test
    void rawAndPpp() {
        assertThat(decode(frame(101, IPV4_UDP_33 + UDP_HELLO))).isEqualTo(DecodeResult.OK);
        assertThat(decode(frame(229, IPV6_UDP))).isEqualTo(DecodeResult.OK);
        assertThat(decode(frame(9, "ff03 0021" + IPV4_UDP_33 + UDP_HELLO)))
                .isEqualTo(DecodeResult.OK);
        assertThat(decode(frame(9, "0057" + IPV6_UDP))).isEqualTo(DecodeResult.OK);
        // Protocol field compressed to one byte (0x21 = IPv4).
        assertThat(decode(frame(50, "21" + IPV4_UDP_33 + UDP_HELLO))).isEqualTo(DecodeResult.OK);
        // LCP is not IP.
        assertThat(decode(frame(9, "ff03 c021 0101 0004"))).isEqualTo(DecodeResult.NOT_IP);
    }

    @Test
    void ipv4OptionsAreSkipped() {
        // IHL 6: one 4-byte option (NOP NOP NOP EOL); total length 37.
        Frame f =
                frame(
                        101,
                        "46 00 0025 0001 0000 40 11 0000 0a000001 0a000002 01010100" + UDP_HELLO);
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.srcPort).isEqualTo(5353);
        assertThat(p.payloadLength).isEqualTo(5);
    }

    @Test
    void ipv6ExtensionHeadersAndFragments() {
        // Hop-by-hop (8 bytes: next = fragment, PadN), then fragment header (next UDP, offset 0,
        // M=1, id 0xdeadbeef), then UDP. Payload length 8 + 8 + 13 = 29.
        String first =
                "60000000 001d 00 40"
                        + "20010db8000000000000000000000001"
                        + "20010db8000000000000000000000002"
                        + "2c00 0104 00000000"
                        + "1100 0001 deadbeef"
                        + UDP_HELLO;
        assertThat(decode(frame(229, first))).isEqualTo(DecodeResult.OK);
        assertThat(p.ipProtocol).isEqualTo(17);
        assertThat(p.fragment).isTrue();
        assertThat(p.firstFragment).isTrue();
        assertThat(p.fragmentId).isEqualTo(0xdeadbeefL);
        assertThat(p.srcPort).isEqualTo(5353);

        // The next fragment: offset 2 (16 bytes), M=0, same id; no UDP header of its own.
        String second =
                "60000000 0010 2c 40"
                        + "20010db8000000000000000000000001"
                        + "20010db8000000000000000000000002"
                        + "1100 0010 deadbeef"
                        + "0102030405060708";
        assertThat(decode(frame(229, second))).isEqualTo(DecodeResult.OK);
        assertThat(p.fragment).isTrue();
        assertThat(p.firstFragment).isFalse();
        assertThat(p.portsFromFragmentTable).isTrue();
        assertThat(p.srcPort).isEqualTo(5353);
        assertThat(p.dstPort).isEqualTo(53);
        assertThat(decoder.counters().fragmented).isEqualTo(2);
    }

    @Test
    void ipv4FragmentsJoinTheirFlowThroughTheIpId() {
        // First fragment: MF set, offset 0, id 0x0abc, carries the UDP header.
        String first = "45 00 0021 0abc 2000 40 11 0000 0a000001 0a000002" + UDP_HELLO;
        // Second: offset 1 (8 bytes), no MF, same id.
        String second = "45 00 001c 0abc 0001 40 11 0000 0a000001 0a000002 0102030405060708";
        // A later fragment whose first fragment was never seen (id 0x0abd).
        String orphan = "45 00 001c 0abd 0001 40 11 0000 0a000001 0a000002 0102030405060708";
        assertThat(decode(frame(101, first))).isEqualTo(DecodeResult.OK);
        assertThat(decode(frame(101, second))).isEqualTo(DecodeResult.OK);
        assertThat(p.srcPort).isEqualTo(5353);
        assertThat(p.dstPort).isEqualTo(53);
        assertThat(p.payloadLength).isEqualTo(8);
        assertThat(decode(frame(101, orphan))).isEqualTo(DecodeResult.OK);
        assertThat(p.srcPort).isZero();
        assertThat(decoder.counters().fragmentOrphans).isEqualTo(1);
    }

    @Test
    void tinyFirstFragmentStillGivesPorts() {
        // A first fragment with only 8 bytes of TCP header (ports and sequence number).
        String first = "45 00 001c 0001 2000 40 06 0000 0a000001 0a000002 c738 01bb 01020304";
        assertThat(decode(frame(101, first))).isEqualTo(DecodeResult.OK);
        assertThat(p.srcPort).isEqualTo(51000);
        assertThat(p.dstPort).isEqualTo(443);
    }

    @Test
    void truncatedHeadersAreCountedAsDiscarded() {
        assertThat(decode(frame(1, "0011223344556677"))).isEqualTo(DecodeResult.TRUNCATED);
        byte[] cutIp = Hex.bytes(ETH_IPV4 + IPV4_TCP_40);
        assertThat(decode(frame(1, Arrays.copyOf(cutIp, 25)))).isEqualTo(DecodeResult.TRUNCATED);
        byte[] cutTcp = Hex.bytes(ETH_IPV4 + IPV4_TCP_40 + TCP_SYN);
        Frame f = frame(1, Arrays.copyOf(cutTcp, 44));
        f.originalLength = cutTcp.length;
        assertThat(decode(f)).isEqualTo(DecodeResult.TRUNCATED);
        assertThat(decoder.counters().truncated).isEqualTo(3);
        assertThat(decoder.counters().discarded).isEqualTo(3);
        assertThat(decoder.counters().discardedBytes).isEqualTo(8 + 25 + 54);
    }

    @Test
    void contradictoryHeadersAreMalformed() {
        // IHL of 4 words (16 bytes) is below the minimum.
        assertThat(decode(frame(101, "44 00 0028 0000 0000 40 06 0000 0a000001 0a000002")))
                .isEqualTo(DecodeResult.MALFORMED);
        // Total length 19 is smaller than the header.
        assertThat(decode(frame(101, "45 00 0013 0000 0000 40 06 0000 0a000001 0a000002")))
                .isEqualTo(DecodeResult.MALFORMED);
        // Total length 200 is larger than the frame.
        assertThat(decode(frame(101, "45 00 00c8 0000 0000 40 06 0000 0a000001 0a000002")))
                .isEqualTo(DecodeResult.MALFORMED);
        // TCP data offset 4 (16 bytes) is below the minimum.
        assertThat(
                        decode(
                                frame(
                                        101,
                                        "45 00 0028 0000 0000 40 06 0000 0a000001 0a000002c738 01bb"
                                                + " 01020304 00000000 40 02 ffff 0000 0000")))
                .isEqualTo(DecodeResult.MALFORMED);
        // Ethertype IPv4 with an IPv6 header.
        assertThat(decode(frame(1, ETH_IPV4 + IPV6_UDP))).isEqualTo(DecodeResult.MALFORMED);
        assertThat(decoder.counters().malformed).isEqualTo(5);
    }

    @Test
    void unsupportedLinkType() {
        assertThat(decode(frame(147, "00"))).isEqualTo(DecodeResult.UNSUPPORTED_LINK);
        assertThat(decoder.counters().unsupportedLink).isEqualTo(1);
        assertThat(decoder.counters().discarded).isEqualTo(1);
    }

    @Test
    void segmentationOffloadZeroLength() {
        // Captured on the sending host before TSO: IP total length 0.
        Frame f =
                frame(
                        1,
                        ETH_IPV4
                                + "45 00 0000 1234 4000 40 06 0000 c0a8010a 5db8d822"
                                + TCP_SYN
                                + "aabbcc");
        assertThat(decode(f)).isEqualTo(DecodeResult.OK);
        assertThat(p.ipLength).isEqualTo(43);
        assertThat(p.payloadLength).isEqualTo(3);
    }
}
