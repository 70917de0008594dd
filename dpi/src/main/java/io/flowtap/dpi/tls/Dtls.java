package io.flowtap.dpi.tls;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Hostnames;

/**
 * DTLS (RFC 6347, RFC 9147) hellos in one datagram: records of 13-byte headers whose handshake
 * messages carry 12-byte headers. Only unfragmented hellos are read; a ClientHello's cookie is
 * skipped so that the rest parses as a TLS ClientHello.
 */
public final class Dtls {
    static final int HANDSHAKE = 22;
    private static final int RECORD_HEADER = 13;
    private static final int MESSAGE_HEADER = 12;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_HELLO = 2;

    private Dtls() {}

    /** DTLS 1.0 (0xfeff), 1.2 (0xfefd) or 1.3 (0xfefc) record versions. */
    static boolean isVersion(int v) {
        return v == 0xfeff || v == 0xfefd || v == 0xfefc;
    }

    /** Whether the datagram starts with a DTLS handshake record. */
    public static boolean startsHandshake(byte[] b, int off, int len) {
        return len >= RECORD_HEADER + MESSAGE_HEADER
                && (b[off] & 0xff) == HANDSHAKE
                && isVersion(Bytes.u16(b, off + 1));
    }

    /**
     * Reads a ClientHello or ServerHello from the datagram into the flow's metadata.
     *
     * @return 1 for a ClientHello, 2 for a ServerHello, 0 for neither, -1 for malformed records
     */
    public static int readHello(byte[] b, int off, int len, FlowMetadata m) {
        int end = off + len;
        int p = off;
        while (end - p >= RECORD_HEADER) {
            int type = b[p] & 0xff;
            int recordLen = Bytes.u16(b, p + 11);
            if (!isVersion(Bytes.u16(b, p + 1)) || end - p - RECORD_HEADER < recordLen) {
                return -1;
            }
            int q = p + RECORD_HEADER;
            if (type == HANDSHAKE && recordLen >= MESSAGE_HEADER) {
                int msg = b[q] & 0xff;
                int length = Bytes.u24(b, q + 1);
                int fragmentOffset = Bytes.u24(b, q + 6);
                int fragmentLength = Bytes.u24(b, q + 9);
                boolean whole =
                        fragmentOffset == 0
                                && fragmentLength == length
                                && length <= recordLen - MESSAGE_HEADER;
                if (whole && msg == CLIENT_HELLO) {
                    return clientHello(b, q + MESSAGE_HEADER, length, m) ? CLIENT_HELLO : -1;
                }
                if (whole && msg == SERVER_HELLO) {
                    ServerHello sh = ServerHello.parse(b, q + MESSAGE_HEADER, length);
                    if (sh == null) {
                        return -1;
                    }
                    m.tlsVersion = Bytes.hex16(sh.version());
                    m.tlsCipherSuite = Bytes.hex16(sh.cipherSuite);
                    if (!sh.alpn.isEmpty()) {
                        m.tlsAlpnServer = sh.alpn.toArray(new String[0]);
                    }
                    return SERVER_HELLO;
                }
            }
            p = q + recordLen;
        }
        return 0;
    }

    private static boolean clientHello(byte[] b, int off, int len, FlowMetadata m) {
        // version, random, session id; then the cookie that TLS does not have.
        int p = off + 2 + 32;
        if (len < 2 + 32 + 2) {
            return false;
        }
        int sessionId = b[p] & 0xff;
        int cookieAt = p + 1 + sessionId;
        if (cookieAt >= off + len) {
            return false;
        }
        int cookie = b[cookieAt] & 0xff;
        int rest = cookieAt + 1 + cookie;
        if (rest > off + len) {
            return false;
        }
        byte[] tls = new byte[len - 1 - cookie];
        System.arraycopy(b, off, tls, 0, cookieAt - off);
        System.arraycopy(b, rest, tls, cookieAt - off, off + len - rest);
        ClientHello ch = ClientHello.parse(tls, 0, tls.length);
        if (ch == null) {
            return false;
        }
        if (ch.sni != null && !ch.sni.isEmpty()) {
            m.tlsClientSni = ch.sni;
            if (m.hostServerName == null) {
                m.hostServerName = Hostnames.sanitize(ch.sni);
            }
        }
        if (!ch.alpn.isEmpty()) {
            m.tlsAlpn = ch.alpn.toArray(new String[0]);
        }
        if (m.tlsVersion == null) {
            m.tlsVersion = Bytes.hex16(ch.legacyVersion);
        }
        m.tlsJa4 = Ja4.of(ch, 'd');
        return true;
    }
}
