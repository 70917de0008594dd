package io.flowtap.dpi;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache over hand-built DNS responses (RFC 1035 4.1 layout, written out byte by byte). */
class DnsHintCacheTest {
    private static final long MINUTE = 60_000;

    /** A response to {@code name} with one CNAME, then the given A or AAAA addresses. */
    private static byte[] response(String name, int rcode, byte[]... addresses) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, (byte) 0x81, (byte) (0x80 | rcode), 0, 1});
        b.writeBytes(new byte[] {0, (byte) (1 + addresses.length), 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes());
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1}); // end of name, type A, class IN
        // CNAME: the owner is the question (pointer to offset 12), target "cdn.x" in full.
        b.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 7});
        b.writeBytes(new byte[] {3, 'c', 'd', 'n', 1, 'x', 0});
        for (byte[] a : addresses) {
            b.writeBytes(new byte[] {(byte) 0xc0, 12, 0, (byte) (a.length == 4 ? 1 : 28), 0, 1});
            b.writeBytes(new byte[] {0, 0, 0, 60, 0, (byte) a.length});
            b.writeBytes(a);
        }
        return b.toByteArray();
    }

    private static byte[] ip(String s) throws Exception {
        return InetAddress.getByName(s).getAddress();
    }

    @Test
    void answersNameTheirAddressesWithTheQuestion() throws Exception {
        DnsHintCache c = new DnsHintCache();
        byte[] msg = response("WWW.Example.org", 0, ip("192.0.2.1"), ip("2001:db8::1"));
        assertThat(c.observe(DpiPacket.UDP, 53, msg, 0, msg.length, 0)).isEqualTo(2);
        assertThat(c.lookup(ip("192.0.2.1"), MINUTE)).isEqualTo("www.example.org");
        assertThat(c.lookup(ip("2001:db8::1"), MINUTE)).isEqualTo("www.example.org");
        assertThat(c.lookup(ip("192.0.2.2"), MINUTE)).isNull();
    }

    @Test
    void onlySuccessfulResponsesFromPort53() throws Exception {
        DnsHintCache c = new DnsHintCache();
        byte[] msg = response("a.example", 0, ip("192.0.2.1"));
        assertThat(c.observe(DpiPacket.UDP, 5353, msg, 0, msg.length, 0)).isZero();
        byte[] nx = response("a.example", 3, ip("192.0.2.1"));
        assertThat(c.observe(DpiPacket.UDP, 53, nx, 0, nx.length, 0)).isZero();
        assertThat(c.size()).isZero();
    }

    @Test
    void tcpSegmentWithAWholeMessage() throws Exception {
        DnsHintCache c = new DnsHintCache();
        byte[] msg = response("b.example", 0, ip("198.51.100.7"));
        byte[] seg = new byte[msg.length + 2];
        seg[0] = (byte) (msg.length >> 8);
        seg[1] = (byte) msg.length;
        System.arraycopy(msg, 0, seg, 2, msg.length);
        assertThat(c.observe(DpiPacket.TCP, 53, seg, 0, seg.length - 1, 0)).isZero();
        assertThat(c.observe(DpiPacket.TCP, 53, seg, 0, seg.length, 0)).isEqualTo(1);
        assertThat(c.lookup(ip("198.51.100.7"), 0)).isEqualTo("b.example");
    }

    @Test
    void laterAnswersWinAndOldOnesExpire() throws Exception {
        DnsHintCache c = new DnsHintCache(30 * MINUTE, 2);
        byte[] first = response("one.example", 0, ip("192.0.2.1"));
        byte[] second = response("two.example", 0, ip("192.0.2.1"));
        c.observe(DpiPacket.UDP, 53, first, 0, first.length, 0);
        c.observe(DpiPacket.UDP, 53, second, 0, second.length, MINUTE);
        assertThat(c.lookup(ip("192.0.2.1"), 2 * MINUTE)).isEqualTo("two.example");
        assertThat(c.lookup(ip("192.0.2.1"), 31 * MINUTE)).isEqualTo("two.example");
        assertThat(c.lookup(ip("192.0.2.1"), 32 * MINUTE)).isNull();
    }

    @Test
    void capacityForgetsTheLeastRecentlyAnswered() throws Exception {
        DnsHintCache c = new DnsHintCache(30 * MINUTE, 2);
        for (String s : new String[] {"192.0.2.1", "192.0.2.2", "192.0.2.1", "192.0.2.3"}) {
            byte[] m = response("n" + s.substring(s.length() - 1) + ".example", 0, ip(s));
            c.observe(DpiPacket.UDP, 53, m, 0, m.length, 0);
        }
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.lookup(ip("192.0.2.2"), 0)).isNull();
        assertThat(c.lookup(ip("192.0.2.1"), 0)).isEqualTo("n1.example");
        assertThat(c.lookup(ip("192.0.2.3"), 0)).isEqualTo("n3.example");
    }
}
