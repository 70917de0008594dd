package io.flowtap.dpi;

import io.flowtap.dpi.tls.ClientHelloBytes;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine over hand-built flows; expected values are read off the bytes built here. */
class DpiEngineTest {
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;

    private final DpiEngine engine = new DpiEngine();
    private final DpiState state = new DpiState();
    private final FlowMetadata meta = new FlowMetadata();

    private int tcp(boolean fromClient, int flags, int seq, byte[] payload, int serverPort) {
        DpiPacket p = new DpiPacket();
        p.ipProtocol = DpiPacket.TCP;
        p.clientPort = 51000;
        p.serverPort = serverPort;
        p.fromClient = fromClient;
        p.tcpFlags = flags;
        p.tcpSeq = seq;
        p.payload = payload;
        p.length = payload.length;
        return engine.inspect(state, meta, p);
    }

    private int udp(boolean fromClient, byte[] payload, int clientPort, int serverPort) {
        DpiPacket p = new DpiPacket();
        p.ipProtocol = DpiPacket.UDP;
        p.clientPort = clientPort;
        p.serverPort = serverPort;
        p.fromClient = fromClient;
        p.payload = payload;
        p.length = payload.length;
        return engine.inspect(state, meta, p);
    }

    private void handshake(int serverPort) {
        tcp(true, SYN, 1000, new byte[0], serverPort);
        tcp(false, SYN | ACK, 5000, new byte[0], serverPort);
    }

    @Test
    void tlsClientHelloSplitAcrossOutOfOrderSegments() {
        byte[] record =
                new ClientHelloBytes()
                        .ciphers(0x1301, 0x1302)
                        .sni("Mail.Example.org")
                        .alpn("imap")
                        .u16List(0x002b, true, 0x0304)
                        .record();
        handshake(993);
        byte[] first = Arrays.copyOfRange(record, 0, 20);
        byte[] second = Arrays.copyOfRange(record, 20, record.length);
        // The second half first: nothing can be parsed yet.
        assertThat(tcp(true, ACK, 1001 + 20, second, 993)).isZero();
        int events = tcp(true, ACK, 1001, first, 993);
        assertThat(events & DpiEngine.DETECTED).isNotZero();
        assertThat(meta.protocol).isEqualTo(Protocols.IMAPS);
        assertThat(Protocols.name(meta.protocol)).isEqualTo("IMAP/S");
        assertThat(meta.tlsClientSni).isEqualTo("mail.example.org");
        assertThat(meta.hostServerName).isEqualTo("mail.example.org");
        assertThat(meta.tlsAlpn).containsExactly("imap");
        // 2 ciphers, 3 extensions, ALPN "imap": first and last characters.
        assertThat(meta.tlsJa4).startsWith("t13d0203ip_");
    }

    @Test
    void tls13ServerHelloCompletesInspection() {
        handshake(443);
        tcp(true, ACK, 1001, new ClientHelloBytes().sni("a.example").record(), 443);
        ByteArrayOutputStream sh = new ByteArrayOutputStream();
        sh.write(0x03);
        sh.write(0x03);
        sh.writeBytes(new byte[32]);
        sh.write(0); // session id
        sh.write(0x13);
        sh.write(0x02); // TLS_AES_256_GCM_SHA384
        sh.write(0); // compression
        sh.writeBytes(new byte[] {0, 6, 0x00, 0x2b, 0, 2, 0x03, 0x04}); // supported_versions
        byte[] record = ClientHelloBytes.record(ClientHelloBytes.handshake(2, sh.toByteArray()));
        int events = tcp(false, ACK, 5001, record, 443);
        assertThat(events & DpiEngine.COMPLETE).isNotZero();
        assertThat(events & DpiEngine.UPDATED).isNotZero();
        assertThat(meta.tlsVersion).isEqualTo("0x0304");
        assertThat(meta.tlsCipherSuite).isEqualTo("0x1302");
        assertThat(meta.protocol).isEqualTo(Protocols.HTTPS);
        assertThat(state.complete).isTrue();
        assertThat(state.clientStream).isNull();
    }

    @Test
    void httpRequestHeadersOverTwoSegments() {
        byte[] req =
                ("GET /index.html?q=1 HTTP/1.1\r\nHost: WWW.Example.COM:8080\r\n"
                                + "User-Agent: test-agent/1.0\r\nAccept: */*\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
        handshake(8080);
        int a = tcp(true, ACK, 1001, Arrays.copyOfRange(req, 0, 10), 8080);
        assertThat(a & DpiEngine.DETECTED).isZero(); // "GET /index" is not yet a request line
        int b = tcp(true, ACK, 1011, Arrays.copyOfRange(req, 10, req.length), 8080);
        assertThat(b & DpiEngine.DETECTED).isNotZero();
        assertThat(b & DpiEngine.COMPLETE).isNotZero();
        assertThat(meta.protocol).isEqualTo(Protocols.HTTP);
        assertThat(meta.hostServerName).isEqualTo("www.example.com");
        assertThat(meta.httpUrl).isEqualTo("/index.html?q=1");
        assertThat(meta.httpUserAgent).isEqualTo("test-agent/1.0");
    }

    @Test
    void httpBasicAuthenticationIsAClearTextPassword() {
        byte[] req =
                ("GET /admin HTTP/1.1\r\nHost: 192.0.2.10\r\n"
                                // RFC 7617 2: "Aladdin:open sesame"
                                + "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
        handshake(80);
        tcp(true, ACK, 1001, req, 80);
        assertThat(meta.clearTextCredentials).isTrue();
        Risks.evaluate(meta, 51000, 80, 0);
        assertThat(meta.risks).containsExactly(Risks.NUMERIC_IP_HOST, Risks.CLEAR_TEXT_CREDENTIALS);
    }

    /** An SSH_MSG_KEXINIT binary packet (RFC 4253 7.1) with the given cipher lists. */
    private static byte[] kexInit(String ciphersToServer, String ciphersToClient) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(20);
        payload.writeBytes(new byte[16]); // cookie
        String[] lists = {
            "curve25519-sha256",
            "ssh-ed25519",
            ciphersToServer,
            ciphersToClient,
            "hmac-sha2-256",
            "hmac-sha2-256",
            "none",
            "none",
            "",
            ""
        };
        for (String l : lists) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            payload.writeBytes(new byte[] {0, 0, (byte) (b.length >> 8), (byte) b.length});
            payload.writeBytes(b);
        }
        payload.writeBytes(new byte[] {0, 0, 0, 0, 0}); // first_kex_packet_follows, reserved
        int padding = 8 - (payload.size() + 5) % 8 + 8;
        int length = 1 + payload.size() + padding;
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.writeBytes(
                new byte[] {
                    (byte) (length >> 24),
                    (byte) (length >> 16),
                    (byte) (length >> 8),
                    (byte) length,
                    (byte) padding
                });
        packet.writeBytes(payload.toByteArray());
        packet.writeBytes(new byte[padding]);
        return packet.toByteArray();
    }

    @Test
    void sshBannersThenKeyExchangeOffers() {
        byte[] server = "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] client = "SSH-2.0-PuTTY_Release_0.80\r\n".getBytes(StandardCharsets.US_ASCII);
        handshake(2222);
        tcp(false, ACK, 5001, server, 2222);
        assertThat(meta.protocol).isEqualTo(Protocols.SSH);
        assertThat(meta.sshServer).isEqualTo("SSH-2.0-OpenSSH_9.6");
        int e = tcp(true, ACK, 1001, client, 2222);
        assertThat(meta.sshClient).isEqualTo("SSH-2.0-PuTTY_Release_0.80");
        // Both banners known, the key exchange offers still to come.
        assertThat(e & DpiEngine.COMPLETE).isZero();
        tcp(true, ACK, 1001 + client.length, kexInit("aes128-ctr,arcfour128", "aes128-ctr"), 2222);
        assertThat(meta.sshClientObsoleteCipher).isEqualTo("arcfour128");
        assertThat(state.complete).isFalse();
        int last =
                tcp(
                        false,
                        ACK,
                        5001 + server.length,
                        kexInit("chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com"),
                        2222);
        assertThat(last & DpiEngine.COMPLETE).isNotZero();
        assertThat(meta.sshServerObsoleteCipher).isNull();
    }

    @Test
    void sslv2StyleClientHelloThenTlsServer() {
        // RFC 5246 E.2: a 2-byte header with the high bit set, CLIENT-HELLO (1), version 3.1,
        // 3 cipher specs (9 bytes), no session id, a 16-byte challenge.
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.writeBytes(new byte[] {(byte) 0x80, 34, 1, 3, 1, 0, 9, 0, 0, 0, 16});
        hello.writeBytes(new byte[] {0, 0, 0x2f, 0, 0, 0x35, 0, 0, 0x05});
        hello.writeBytes(new byte[16]);
        handshake(443);
        int e = tcp(true, ACK, 1001, hello.toByteArray(), 443);
        assertThat(e & DpiEngine.DETECTED).isNotZero();
        assertThat(meta.tlsVersion).isEqualTo("0x0301");
        assertThat(meta.tlsJa4).isNull();
        ByteArrayOutputStream sh = new ByteArrayOutputStream();
        sh.writeBytes(new byte[] {3, 1});
        sh.writeBytes(new byte[32]);
        sh.writeBytes(new byte[] {0, 0, 0x2f, 0}); // no session id, AES128-SHA, no compression
        tcp(
                false,
                ACK,
                5001,
                ClientHelloBytes.record(ClientHelloBytes.handshake(2, sh.toByteArray())),
                443);
        assertThat(meta.tlsCipherSuite).isEqualTo("0x002f");
        assertThat(state.violations).isZero();
    }

    @Test
    void tlsWarningAlertBeforeServerHello() {
        // As in nDPI's http_ipv6.pcap: unrecognized_name (112) as a warning, then the hello.
        handshake(443);
        tcp(true, ACK, 1001, new ClientHelloBytes().sni("www.example.com").record(), 443);
        ByteArrayOutputStream sh = new ByteArrayOutputStream();
        sh.write(0x03);
        sh.write(0x03);
        sh.writeBytes(new byte[32]);
        sh.write(0); // session id
        sh.write(0xc0);
        sh.write(0x2f); // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
        sh.write(0);
        ByteArrayOutputStream flight = new ByteArrayOutputStream();
        flight.writeBytes(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x70});
        flight.writeBytes(ClientHelloBytes.record(ClientHelloBytes.handshake(2, sh.toByteArray())));
        int events = tcp(false, ACK, 5001, flight.toByteArray(), 443);
        assertThat(events & DpiEngine.UPDATED).isNotZero();
        assertThat(meta.tlsCipherSuite).isEqualTo("0xc02f");
        assertThat(state.violations).isZero();
        assertThat(state.complete).isFalse();
        // A fatal alert instead ends the clear-text handshake: nothing more to wait for.
        tcp(
                false,
                ACK,
                5001 + flight.size(),
                new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28},
                443);
        assertThat(state.complete).isTrue();
    }

    @Test
    void dnsQueryAndResponse() {
        // id 0x1234, RD, 1 question: www.example.com A IN
        byte[] q =
                bytes(
                        "1234 0100 0001 0000 0000 0000"
                                + " 03 777777 07 6578616d706c65 03 636f6d 00 0001 0001");
        int e = udp(true, q, 40000, 53);
        assertThat(e & DpiEngine.DETECTED).isNotZero();
        assertThat(meta.protocol).isEqualTo(Protocols.DNS);
        assertThat(meta.hostServerName).isEqualTo("www.example.com");
        // Response: the question again and one A answer using a compression pointer (0xc00c).
        byte[] r =
                bytes(
                        "1234 8180 0001 0001 0000 0000"
                                + " 03 777777 07 6578616d706c65 03 636f6d 00 0001 0001"
                                + " c00c 0001 0001 00000e10 0004 5db8d822");
        assertThat(udp(false, r, 40000, 53) & DpiEngine.COMPLETE).isNotZero();
    }

    @Test
    void dnsNameCompressionLoopsAreRejected() {
        // The question name is a pointer to itself.
        byte[] q = bytes("1234 0100 0001 0000 0000 0000 c00c 0001 0001");
        udp(true, q, 40000, 53);
        assertThat(meta.hostServerName).isNull();
        assertThat(state.isExcluded(0)).isTrue();
    }

    @Test
    void unknownPayloadFallsBackToAPortGuessAfterTheBudget() {
        handshake(25);
        for (int i = 0; i < 40 && !state.complete; i++) {
            tcp(true, ACK, 1001 + i * 4, new byte[] {1, 2, 3, 4}, 25);
        }
        assertThat(state.complete).isTrue();
        assertThat(meta.protocol).isEqualTo(3); // SMTP, by port
        assertThat(meta.detectionGuessed).isTrue();
    }

    @Test
    void icmpIsKnownByItsIpProtocol() {
        int e = engine.finish(state, meta, 1, 0, 0);
        assertThat(e & DpiEngine.DETECTED).isNotZero();
        assertThat(meta.protocol).isEqualTo(Protocols.ICMP);
        assertThat(meta.detectionGuessed).isFalse();
    }

    static byte[] bytes(String hex) {
        String h = hex.replaceAll("\\s+", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
