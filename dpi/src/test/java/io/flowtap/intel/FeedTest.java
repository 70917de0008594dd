package io.flowtap.intel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The feed file format: each kind of entry, comments, and the lines that are refused. */
class FeedTest {
    private static byte[] ip(String literal) throws Exception {
        return InetAddress.getByName(literal).getAddress(); // literals only: no lookup
    }

    @Test
    void entriesOfEveryKindMatch() throws Exception {
        Feed f =
                Feed.parse(
                        "mixed",
                        "feeds/mixed.txt",
                        List.of(
                                "# a comment line",
                                "",
                                "192.0.2.1",
                                "198.51.100.0/24   # a network",
                                "2001:db8::/32",
                                "2001:DB8:FFFF::1",
                                "*.Example.ORG",
                                "tracker.test.",
                                "t13d1516h2_8daaf6152771_e5627efa2ab1",
                                "D41D8CD98F00B204E9800998ECF8427E"));
        assertThat(f.size()).isEqualTo(8);
        assertThat(f.name()).isEqualTo("mixed");
        assertThat(f.matchesAddress(ip("192.0.2.1"))).isTrue();
        assertThat(f.matchesAddress(ip("192.0.2.2"))).isFalse();
        assertThat(f.matchesAddress(ip("198.51.100.77"))).isTrue();
        assertThat(f.matchesAddress(ip("198.51.101.1"))).isFalse();
        assertThat(f.matchesAddress(ip("2001:db8:1234::9"))).isTrue();
        assertThat(f.matchesAddress(ip("2001:db9::1"))).isFalse();
        assertThat(f.matchesAddress(null)).isFalse();
        assertThat(f.matchesDomain("example.org")).isTrue();
        assertThat(f.matchesDomain("www.EXAMPLE.org.")).isTrue();
        assertThat(f.matchesDomain("badexample.org")).isFalse();
        assertThat(f.matchesDomain("a.b.tracker.test")).isTrue();
        assertThat(f.matchesDomain("test")).isFalse();
        assertThat(f.matchesDomain(null)).isFalse();
        assertThat(f.matchesFingerprint("T13D1516H2_8DAAF6152771_E5627EFA2AB1")).isTrue();
        assertThat(f.matchesFingerprint("d41d8cd98f00b204e9800998ecf8427e")).isTrue();
        assertThat(f.matchesFingerprint("t13d1516h2_8daaf6152771_000000000000")).isFalse();
    }

    @Test
    void macAddressesAreDevicesOfAnInventory() throws Exception {
        Feed f =
                Feed.parse(
                        "devices", "feeds/devices.txt", "02:00:5E:00:00:01\r\n02-00-c0-a8-4d-02\n");
        assertThat(f.size()).isEqualTo(2);
        assertThat(f.matchesMac("02:00:5e:00:00:01")).isTrue();
        assertThat(f.matchesMac("02:00:C0:A8:4D:02")).isTrue();
        assertThat(f.matchesMac("02:00:c0:a8:4d:03")).isFalse();
        assertThat(f.matchesMac(null)).isFalse();
        // Not taken for an IPv6 address, nor a domain.
        assertThat(f.matchesAddress(ip("2:0:5e::1"))).isFalse();
    }

    /** Versions of a feed are told apart by the SHA-256 of their text (FIPS 180-2's "abc"). */
    @Test
    void aFeedParsedFromTextKeepsItsDigest() throws Exception {
        assertThat(Feed.digestOf("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Feed.parse("x", "feeds/x.txt", "192.0.2.1\n").digest())
                .isEqualTo(Feed.digestOf("192.0.2.1\n"))
                .isNotEqualTo(Feed.parse("x", "feeds/x.txt", "192.0.2.2\n").digest());
        assertThatThrownBy(() -> Feed.parse("x", "feeds/x.txt", "192.0.2.1\n\n10.0.0.0/33"))
                .isInstanceOf(FeedException.class)
                .hasMessage("feeds/x.txt:3: '10.0.0.0/33' is not a valid address or network");
    }

    @Test
    void badLinesAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> Feed.parse("x", "feeds/x.txt", List.of("10.0.0.1", "10.0.0.0/33")))
                .isInstanceOf(FeedException.class)
                .hasMessage("feeds/x.txt:2: '10.0.0.0/33' is not a valid address or network")
                .satisfies(e -> assertThat(((FeedException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> Feed.parse("x", "f", List.of("1.2.3.4.5")))
                .hasMessageContaining("'1.2.3.4.5' is not a valid address or network");
        assertThatThrownBy(() -> Feed.parse("x", "f", List.of("2001:db8::zz")))
                .hasMessageContaining("not a valid address or network");
        assertThatThrownBy(() -> Feed.parse("x", "f", List.of("a.example b.example")))
                .hasMessageContaining("one entry per line");
        assertThatThrownBy(() -> Feed.parse("x", "f", List.of("bad!name.example")))
                .hasMessageContaining(
                        "'bad!name.example' is not an address, a network, a domain or a"
                                + " fingerprint");
        assertThatThrownBy(() -> Feed.parse("x", "f", List.of("-leading.example")))
                .isInstanceOf(FeedException.class);
    }

    /**
     * Any text: a feed either parses, and then every entry it took matches what it was read from,
     * or fails with a FeedException naming a line of the text.
     */
    @FuzzTest(maxDuration = "1m")
    void anyText(byte[] data) throws Exception {
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\n", -1));
        Feed f;
        try {
            f = Feed.parse("fuzz", "fuzz.txt", text);
        } catch (FeedException e) {
            assertThat(e.line()).isBetween(1, lines.size());
            return;
        }
        f.matchesAddress(new byte[4]);
        f.matchesAddress(new byte[16]);
        for (String line : lines) {
            String entry = line.replaceAll("#.*", "").strip();
            f.matchesDomain(entry);
            f.matchesFingerprint(entry);
            f.matchesMac(entry);
        }
        assertThat(f.digest()).isEqualTo(Feed.digestOf(text));
    }
}
