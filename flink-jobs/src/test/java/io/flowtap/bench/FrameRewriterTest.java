package io.flowtap.bench;

import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;
import io.flowtap.testing.TestData;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Copies of the sample's frames: LAN addresses, their MACs, ephemeral ports and names move per
 * copy, and every IPv4 header, TCP segment and UDP datagram checksums to zero as RFC 1071 sums it
 * (summed here word by word, not the way the rewriter updates them).
 */
class FrameRewriterTest {
    private static List<byte[]> sample() throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(TestData.pcap("flowtap-sample.pcap"), "x")) {
            Frame f = new Frame();
            while (r.next(f)) {
                out.add(Arrays.copyOfRange(f.data, f.offset, f.offset + f.capturedLength));
            }
        }
        return out;
    }

    /** One's complement sum of 16-bit words, folded. */
    private static int sum(byte[] b, int from, int to, long start) {
        long s = start;
        for (int i = from; i < to; i += 2) {
            s += ((b[i] & 0xff) << 8) | (i + 1 < to ? b[i + 1] & 0xff : 0);
        }
        while ((s >> 16) != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) s;
    }

    private static int l3(byte[] f) {
        int p = 12;
        while (FrameRewriter.u16(f, p) == 0x8100 || FrameRewriter.u16(f, p) == 0x88a8) {
            p += 4;
        }
        return p;
    }

    @Test
    void everyRewrittenFrameChecksumsAndMovesItsLanHosts() throws Exception {
        FrameRewriter rewriter = new FrameRewriter();
        int v4Segments = 0;
        int v6Segments = 0;
        int renamed = 0;
        for (byte[] seed : sample()) {
            byte[] f = seed.clone();
            rewriter.rewrite(f, f.length, 77);
            int t = l3(f);
            int ip = t + 2;
            int type = FrameRewriter.u16(f, t);
            if (new String(f, StandardCharsets.ISO_8859_1).contains("f000025")) {
                renamed++; // 77 in base 36 is 25
                assertThat(new String(f, StandardCharsets.ISO_8859_1)).doesNotContain("flowtap");
            }
            if (type == 0x0800) {
                int ihl = (f[ip] & 0x0f) * 4;
                assertThat(sum(f, ip, ip + ihl, 0)).as("IPv4 header").isEqualTo(0xffff);
                for (int a = ip + 12; a <= ip + 16; a += 4) {
                    assertThat(f[a] == (byte) 192 && f[a + 1] == (byte) 168)
                            .as("no 192.168/16 left")
                            .isFalse();
                }
                int flags = FrameRewriter.u16(f, ip + 6);
                int proto = f[ip + 9] & 0xff;
                int end = ip + FrameRewriter.u16(f, ip + 2);
                if ((flags & 0x3fff) == 0 && (proto == 6 || proto == 17)) {
                    long pseudo = Checksums.words(f, ip + 12, 8) + proto + (end - ip - ihl);
                    assertThat(sum(f, ip + ihl, end, pseudo)).as("segment").isEqualTo(0xffff);
                    v4Segments++;
                }
                if (f[ip + 12] == 10 && f[6] == 2 && f[7] == 0) {
                    // A LAN sender's MAC carries its (moved) address.
                    assertThat(Arrays.copyOfRange(f, 8, 12))
                            .isEqualTo(Arrays.copyOfRange(f, ip + 12, ip + 16));
                }
            } else if (type == 0x86dd && (f[ip + 6] == 6 || f[ip + 6] == 17)) {
                int end = ip + 40 + FrameRewriter.u16(f, ip + 4);
                long pseudo = Checksums.words(f, ip + 8, 32) + f[ip + 6] + (end - ip - 40);
                assertThat(sum(f, ip + 40, end, pseudo)).as("IPv6 segment").isEqualTo(0xffff);
                v6Segments++;
            }
        }
        assertThat(v4Segments).isGreaterThan(1000);
        assertThat(v6Segments).isGreaterThan(100);
        assertThat(renamed).isGreaterThan(10);
    }

    @Test
    void copiesGetHostsNamesAndPortsOfTheirOwn() throws Exception {
        byte[] seed = null;
        for (byte[] f : sample()) {
            // The first DNS query from the IPv4 client 192.168.77.2.
            if (f.length > 42
                    && f[12] == 8
                    && f[13] == 0
                    && f[14 + 9] == 17
                    && f[26] == (byte) 192
                    && FrameRewriter.u16(f, 36) == 53) {
                seed = f;
                break;
            }
        }
        assertThat(seed).isNotNull();
        byte[] a = seed.clone();
        byte[] b = seed.clone();
        FrameRewriter rewriter = new FrameRewriter();
        rewriter.rewrite(a, a.length, 0);
        rewriter.rewrite(b, b.length, 1);
        // 192.168.77.2 -> 10.0.0.2 (copy 0, first subnet) and 10.0.16.2 (copy 1).
        assertThat(Arrays.copyOfRange(a, 26, 30)).containsExactly(10, 0, 0, 2);
        assertThat(Arrays.copyOfRange(b, 26, 30)).containsExactly(10, 0, 16, 2);
        // The server stays; its port too; the client's ephemeral port moves by 7919 per copy.
        assertThat(Arrays.copyOfRange(a, 30, 34)).isEqualTo(Arrays.copyOfRange(seed, 30, 34));
        int port = FrameRewriter.u16(seed, 34);
        assertThat(port).isGreaterThanOrEqualTo(32768);
        assertThat(FrameRewriter.u16(a, 34)).isEqualTo(port);
        assertThat(FrameRewriter.u16(b, 34)).isEqualTo(32768 + (port - 32768 + 7919) % 32768);
        String qa = new String(a, 42, a.length - 42, StandardCharsets.ISO_8859_1);
        String qb = new String(b, 42, b.length - 42, StandardCharsets.ISO_8859_1);
        assertThat(qa).contains("\u0007f000000\u0004test");
        assertThat(qb).contains("\u0007f000001\u0004test");
    }
}
