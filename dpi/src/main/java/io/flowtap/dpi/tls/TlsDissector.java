package io.flowtap.dpi.tls;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Digests;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Hostnames;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;

import java.security.MessageDigest;

/**
 * TLS over TCP (RFC 5246, RFC 8446): ClientHello (SNI, ALPN, JA4, ECH), ServerHello (negotiated
 * version, cipher suite, ALPN) and, up to TLS 1.2, the server's Certificate (names, SHA-1
 * fingerprint, validity). Handshakes are read from the reassembled streams, so messages split
 * across records and TCP segments, or arriving out of order, are read whole.
 */
public final class TlsDissector implements Dissector {
    private static final ThreadLocal<MessageDigest> SHA1 = Digests.perThread("SHA-1");
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_HELLO = 2;
    private static final int CERTIFICATE = 11;
    private static final int SERVER_HELLO_DONE = 14;
    private static final int PARSED = 1;
    private static final int FINISHED = 2;

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isTcp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiState s = c.state();
        FlowMetadata m = c.metadata();
        StreamBuffer client = c.clientStream();
        StreamBuffer server = c.serverStream();
        if (s.tlsClientParsed == 0 && client != null && isV2Hello(client)) {
            // Old clients open with an SSL 2.0 style ClientHello offering TLS (RFC 5246 E.2): it
            // has no extensions, so no SNI, ALPN or JA4, but the server answers in TLS records.
            m.tlsVersion = Bytes.hex16(Bytes.u16(client.data, 3));
            s.tlsClientParsed = PARSED;
            c.updated();
        }
        if (s.tlsClientParsed == 0 && client != null && client.length > 0) {
            TlsRecords.Handshake h = TlsRecords.handshake(client.data, client.length);
            if (h.notTls) {
                return Verdict.EXCLUDED;
            }
            ClientHello[] out = new ClientHello[1];
            boolean[] bad = new boolean[1];
            TlsRecords.messages(
                    h,
                    (type, b, off, len) -> {
                        if (type != CLIENT_HELLO) {
                            bad[0] = true;
                        } else {
                            out[0] = ClientHello.parse(b, off, len);
                            bad[0] = out[0] == null;
                        }
                        return false;
                    });
            if (bad[0]) {
                return Verdict.VIOLATION;
            }
            if (out[0] != null) {
                clientHello(c, out[0]);
                s.tlsClientParsed = PARSED;
            } else if (h.ended) {
                return Verdict.VIOLATION;
            }
        }
        if (s.tlsServerParsed != FINISHED && server != null && server.length > 0) {
            Verdict v = server(c, server);
            if (v != null) {
                return v;
            }
        }
        if (s.tlsClientParsed == 0 && s.tlsServerParsed == 0) {
            return Verdict.NEED_MORE;
        }
        if (m.protocol == 0) {
            m.protocol = TlsNaming.protocolFor(c.packet().serverPort);
        }
        boolean done = s.tlsClientParsed != 0 && s.tlsServerParsed == FINISHED;
        return done ? Verdict.DONE : Verdict.DETECTED;
    }

    /**
     * An SSL 2.0 record (two-byte header with the high bit set) holding a CLIENT-HELLO (1) whose
     * version is SSL 3.0 or a TLS version, with the lengths RFC 5246 E.2 allows.
     */
    private static boolean isV2Hello(StreamBuffer client) {
        byte[] b = client.data;
        if (client.length < 11 || (b[0] & 0x80) == 0 || b[2] != 1 || b[3] != 3 || b[4] > 4) {
            return false;
        }
        int recordLength = ((b[0] & 0x7f) << 8) | (b[1] & 0xff);
        int cipherSpecs = Bytes.u16(b, 5);
        int sessionId = Bytes.u16(b, 7);
        int challenge = Bytes.u16(b, 9);
        return cipherSpecs > 0
                && cipherSpecs % 3 == 0
                && (sessionId == 0 || sessionId == 16)
                && challenge >= 16
                && challenge <= 32
                && recordLength == 9 + cipherSpecs + sessionId + challenge;
    }

    private static void clientHello(DpiContext c, ClientHello ch) {
        FlowMetadata m = c.metadata();
        if (ch.sni != null && !ch.sni.isEmpty()) {
            m.tlsClientSni = ch.sni;
            m.hostServerName = Hostnames.sanitize(ch.sni);
        }
        if (!ch.alpn.isEmpty()) {
            m.tlsAlpn = ch.alpn.toArray(new String[0]);
        }
        if (m.tlsVersion == null) {
            m.tlsVersion = Bytes.hex16(ch.legacyVersion);
        }
        if (ch.echType >= 0) {
            m.tlsEchVersion = Bytes.hex16(ch.echType);
        }
        m.tlsJa4 = Ja4.of(ch, 't');
        c.updated();
    }

    /** Reads the server's handshake; returns a verdict only when it decides the flow. */
    private Verdict server(DpiContext c, StreamBuffer server) {
        DpiState s = c.state();
        FlowMetadata m = c.metadata();
        TlsRecords.Handshake h = TlsRecords.handshake(server.data, server.length);
        if (h.notTls) {
            return s.tlsClientParsed != 0 ? Verdict.VIOLATION : Verdict.EXCLUDED;
        }
        ServerHello[] sh = new ServerHello[1];
        boolean[] finished = new boolean[1];
        boolean[] bad = new boolean[1];
        TlsRecords.messages(
                h,
                (type, b, off, len) -> {
                    if (type == SERVER_HELLO) {
                        sh[0] = ServerHello.parse(b, off, len);
                        bad[0] = sh[0] == null;
                        // TLS 1.3 encrypts everything after the ServerHello.
                        finished[0] = sh[0] != null && sh[0].version() >= 0x0304;
                        return !bad[0] && !finished[0];
                    }
                    if (type == CERTIFICATE) {
                        certificate(c, b, off, len);
                        finished[0] = true;
                        return false;
                    }
                    if (type == SERVER_HELLO_DONE) {
                        finished[0] = true;
                        return false;
                    }
                    return true;
                });
        if (bad[0]) {
            return Verdict.VIOLATION;
        }
        if (sh[0] != null && s.tlsServerParsed == 0) {
            ServerHello hello = sh[0];
            m.tlsVersion = Bytes.hex16(hello.version());
            m.tlsCipherSuite = Bytes.hex16(hello.cipherSuite);
            if (!hello.alpn.isEmpty()) {
                m.tlsAlpnServer = hello.alpn.toArray(new String[0]);
            }
            s.tlsServerParsed = PARSED;
            c.updated();
        }
        if (finished[0] || h.ended) {
            s.tlsServerParsed = FINISHED;
        }
        return null;
    }

    /** The Certificate message: the first (leaf) certificate of the list. */
    private static void certificate(DpiContext c, byte[] b, int off, int len) {
        if (len < 3) {
            return;
        }
        int listLen = Bytes.u24(b, off);
        int p = off + 3;
        int end = Math.min(off + len, p + listLen);
        if (end - p < 3) {
            return;
        }
        int certLen = Bytes.u24(b, p);
        p += 3;
        if (end - p < certLen || certLen == 0) {
            return;
        }
        FlowMetadata m = c.metadata();
        m.tlsFingerprint = sha1(b, p, certLen);
        X509 x = X509.parse(b, p, certLen);
        if (x != null) {
            m.tlsIssuerDn = x.issuerDn;
            m.tlsSubjectDn = x.subjectDn;
            m.tlsServerCn = x.subjectCn;
            m.tlsNotBeforeMs = x.notBeforeMs;
            m.tlsNotAfterMs = x.notAfterMs;
            m.tlsSelfSigned = x.selfIssued;
            // Browsers match the SNI against subjectAltName only (RFC 6125 6.4.4 leaves the CN
            // as a fallback they no longer use): without SANs there is nothing to compare.
            m.tlsCertNames = x.dnsNames.isEmpty() ? null : x.dnsNames.toArray(new String[0]);
        }
        c.updated();
    }

    private static String sha1(byte[] b, int off, int len) {
        MessageDigest md = SHA1.get();
        md.reset();
        md.update(b, off, len);
        byte[] d = md.digest();
        return Bytes.hex(d, 0, d.length);
    }
}
