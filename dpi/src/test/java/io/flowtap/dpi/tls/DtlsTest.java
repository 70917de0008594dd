package io.flowtap.dpi.tls;

import io.flowtap.dpi.DpiEngine;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** DTLS hellos built by hand (RFC 6347 4.1 and 4.2.2 layouts). */
class DtlsTest {
    private final DpiEngine engine = new DpiEngine();
    private final DpiState state = new DpiState();
    private final FlowMetadata meta = new FlowMetadata();

    /** One DTLS record (epoch 0) holding one whole handshake message. */
    static byte[] datagram(int type, byte[] body, int messageSeq) {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        msg.write(type);
        int n = body.length;
        msg.writeBytes(new byte[] {(byte) (n >> 16), (byte) (n >> 8), (byte) n});
        msg.writeBytes(new byte[] {0, (byte) messageSeq, 0, 0, 0});
        msg.writeBytes(new byte[] {(byte) (n >> 16), (byte) (n >> 8), (byte) n});
        msg.writeBytes(body);
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.writeBytes(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0});
        rec.writeBytes(new byte[] {(byte) (msg.size() >> 8), (byte) msg.size()});
        rec.writeBytes(msg.toByteArray());
        return rec.toByteArray();
    }

    /** A TLS ClientHello body with a DTLS cookie inserted after the (empty) session id. */
    static byte[] clientHello(byte[] cookie) {
        byte[] tls =
                new ClientHelloBytes()
                        .version(0xfefd)
                        .ciphers(0xc02b, 0xc02f)
                        .sni("media.example.net")
                        .alpn("webrtc")
                        .u16List(0x000d, false, 0x0403)
                        .body();
        int at = 2 + 32 + 1;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(Arrays.copyOfRange(tls, 0, at));
        b.write(cookie.length);
        b.writeBytes(cookie);
        b.writeBytes(Arrays.copyOfRange(tls, at, tls.length));
        return b.toByteArray();
    }

    private int udp(boolean fromClient, byte[] payload) {
        DpiPacket p = new DpiPacket();
        p.ipProtocol = DpiPacket.UDP;
        p.clientPort = 50000;
        p.serverPort = 4433;
        p.fromClient = fromClient;
        p.payload = payload;
        p.length = payload.length;
        return engine.inspect(state, meta, p);
    }

    @Test
    void clientHelloWithCookieThenServerHello() {
        int e = udp(true, datagram(1, clientHello(new byte[] {9, 8, 7, 6}), 1));
        assertThat(e & DpiEngine.DETECTED).isNotZero();
        assertThat(meta.protocol).isEqualTo(Protocols.DTLS);
        assertThat(meta.tlsClientSni).isEqualTo("media.example.net");
        assertThat(meta.tlsAlpn).containsExactly("webrtc");
        // d, DTLS 1.2, SNI, 2 ciphers, 3 extensions, ALPN "webrtc": first and last characters.
        assertThat(meta.tlsJa4).startsWith("dd2d0203wc_");
        // The same hello without the cookie gives the same fingerprint as over TLS.
        byte[] tls =
                new ClientHelloBytes()
                        .version(0xfefd)
                        .ciphers(0xc02b, 0xc02f)
                        .sni("media.example.net")
                        .alpn("webrtc")
                        .u16List(0x000d, false, 0x0403)
                        .body();
        assertThat(meta.tlsJa4.substring(1))
                .isEqualTo(Ja4.of(ClientHello.parse(tls, 0, tls.length), 't').substring(1));

        ByteArrayOutputStream sh = new ByteArrayOutputStream();
        sh.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xfd});
        sh.writeBytes(new byte[32]);
        sh.writeBytes(new byte[] {0, (byte) 0xc0, 0x2b, 0});
        int done = udp(false, datagram(2, sh.toByteArray(), 0));
        assertThat(done & DpiEngine.COMPLETE).isNotZero();
        assertThat(meta.tlsCipherSuite).isEqualTo("0xc02b");
        assertThat(meta.tlsVersion).isEqualTo("0xfefd");
    }

    @Test
    void fragmentedOrForeignDatagramsAreNotHellos() {
        byte[] d = datagram(1, clientHello(new byte[0]), 0);
        byte[] fragment = d.clone();
        fragment[13 + 11] = 10; // fragment_length no longer the whole message
        assertThat(Dtls.readHello(fragment, 0, fragment.length, new FlowMetadata())).isZero();
        byte[] truncated = Arrays.copyOf(d, d.length - 5);
        assertThat(Dtls.readHello(truncated, 0, truncated.length, new FlowMetadata())).isNegative();
        assertThat(Dtls.startsHandshake(new byte[40], 0, 40)).isFalse();
    }
}
