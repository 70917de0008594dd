package io.flowtap.dpi.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JA4 of hand-built ClientHellos. The expected fingerprints were computed separately from the
 * published JA4 definition with Python's hashlib, e.g. {@code sha256("1301,1302,1303,c02b")[:12]}
 * for the second part of the first case.
 */
class Ja4Test {
    @Test
    void tls13WithGreaseSniAlpnAndSignatureAlgorithms() {
        byte[] body =
                new ClientHelloBytes()
                        .ciphers(0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b)
                        .extension(0x0a0a, new byte[0])
                        .sni("www.example.com")
                        .alpn("h2", "http/1.1")
                        .u16List(0x002b, true, 0x3a3a, 0x0304, 0x0303)
                        .u16List(0x000d, false, 0x0403, 0x0804, 0x0401)
                        .u16List(0x000a, false, 0x001d, 0x0017)
                        .extension(0x0017, new byte[0])
                        .body();
        ClientHello ch = ClientHello.parse(body, 0, body.length);
        assertThat(ch).isNotNull();
        assertThat(ch.sni).isEqualTo("www.example.com");
        assertThat(ch.alpn).containsExactly("h2", "http/1.1");
        assertThat(Ja4.of(ch, 't')).isEqualTo("t13d0406h2_39e807bd56df_719cb00056bf");
        assertThat(Ja4.of(ch, 'q')).startsWith("q13d0406h2_");
    }

    @Test
    void tls12WithoutSniAlpnOrSignatureAlgorithms() {
        byte[] body =
                new ClientHelloBytes()
                        .ciphers(0xc02f, 0x002f)
                        .u16List(0x000a, false, 0x0017)
                        .body();
        ClientHello ch = ClientHello.parse(body, 0, body.length);
        assertThat(Ja4.of(ch, 't')).isEqualTo("t12i020100_37f356531c84_a8f3e973773c");
    }

    @Test
    void extensionHashWithoutSignatureAlgorithmsHasNoUnderscore() {
        // The JA4 definition's own example: these extensions, no signature algorithms, hash
        // "0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01" = 6d807ffa2a79.
        ClientHelloBytes b = new ClientHelloBytes().ciphers(0x1301).sni("example.com");
        b.extension(0x0005, new byte[] {1, 0, 0, 0, 0});
        b.u16List(0x000a, false, 0x001d);
        b.extension(0x000b, new byte[] {1, 0});
        b.extension(0x000d, new byte[] {0, 0}); // signature_algorithms with an empty list
        for (int type : new int[] {0x0012, 0x0015, 0x0017, 0x001b, 0x0023}) {
            b.extension(type, new byte[0]);
        }
        b.u16List(0x002b, true, 0x0304);
        b.extension(0x002d, new byte[] {1, 1});
        b.extension(0x0033, new byte[] {0, 0});
        b.extension(0x4469, new byte[0]);
        b.extension(0xff01, new byte[] {0});
        byte[] body = b.body();
        ClientHello ch = ClientHello.parse(body, 0, body.length);
        assertThat(Ja4.of(ch, 't')).endsWith("_6d807ffa2a79");
    }

    @Test
    void alpnWithANonAlphanumericEndIsWrittenAsItsOuterHexDigits() {
        // "-h3" is 2d 68 33 in hex: first digit 2, last 3. Only ALPN among the extensions, so the
        // extension hash is the empty one; sha256("1301")[:12] = 0f2cb44170f4.
        byte[] body = new ClientHelloBytes().ciphers(0x1301).alpn("-h3").body();
        ClientHello ch = ClientHello.parse(body, 0, body.length);
        assertThat(Ja4.of(ch, 't')).isEqualTo("t12i010123_0f2cb44170f4_000000000000");
    }

    @Test
    void greaseValues() {
        assertThat(ClientHello.isGrease(0x0a0a)).isTrue();
        assertThat(ClientHello.isGrease(0xfafa)).isTrue();
        assertThat(ClientHello.isGrease(0x0a1a)).isFalse();
        assertThat(ClientHello.isGrease(0x1301)).isFalse();
    }

    @Test
    void malformedHellosAreRejected() {
        byte[] body = new ClientHelloBytes().sni("x.example").body();
        // Cut anywhere: never an exception, either null or a partial parse of a valid prefix.
        for (int n = 0; n < body.length; n++) {
            ClientHello.parse(body, 0, n);
        }
        // A cipher list with an odd length.
        body[35] = 0;
        body[36] = 3;
        assertThat(ClientHello.parse(body, 0, body.length)).isNull();
    }
}
