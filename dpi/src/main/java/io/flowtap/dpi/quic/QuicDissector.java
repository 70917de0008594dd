package io.flowtap.dpi.quic;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Hostnames;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;
import io.flowtap.dpi.tls.ClientHello;
import io.flowtap.dpi.tls.Ja4;

/**
 * QUIC (RFC 9000): recognises IETF QUIC (v1, v2, drafts) and Google QUIC by their headers, opens
 * the client's Initial packets of v1, v2 and drafts 27-32, reassembles the CRYPTO frames across
 * packets and reads the TLS ClientHello in them: SNI, ALPN, JA4 (with the {@code q} prefix). Google
 * QUIC up to Q046 sends its CHLO in the clear; its SNI tag is read too.
 */
public final class QuicDissector implements Dissector {
    private static final int FRAME_PADDING = 0x00;
    private static final int FRAME_PING = 0x01;
    private static final int FRAME_ACK = 0x02;
    private static final int FRAME_ACK_ECN = 0x03;
    private static final int FRAME_CRYPTO = 0x06;
    private static final int FRAME_CLOSE = 0x1c;
    private static final int FRAME_CLOSE_APP = 0x1d;
    private static final int CLIENT_HELLO = 1;

    @Override
    public String name() {
        return "quic";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isUdp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        FlowMetadata m = c.metadata();
        byte[] b = p.payload;
        int off = p.offset;
        int len = p.length;
        boolean known = m.protocol == Protocols.QUIC;
        if (len < 9) {
            return known ? Verdict.DETECTED : Verdict.EXCLUDED;
        }
        int first = b[off] & 0xff;
        int version;
        if ((first & 0x80) != 0) {
            version = (int) Bytes.u32(b, off + 1);
        } else if ((first & 0x01) != 0 && (first & 0x08) != 0 && len >= 13) {
            // Google QUIC public header: flags, 8-byte connection id, version.
            version = (int) Bytes.u32(b, off + 9);
        } else {
            return known ? Verdict.DETECTED : Verdict.EXCLUDED;
        }
        if (!QuicVersion.isQuicLike(version)) {
            return known ? Verdict.DETECTED : Verdict.EXCLUDED;
        }
        m.protocol = Protocols.QUIC;
        if (!p.fromClient) {
            return Verdict.DETECTED;
        }
        if (QuicVersion.of(version) != null) {
            return ietf(c, b, off, len);
        }
        return google(c, b, off, len);
    }

    private Verdict ietf(DpiContext c, byte[] b, int off, int len) {
        InitialPacket packet = InitialPacket.open(b, off, len, true);
        if (packet == null) {
            return Verdict.DETECTED;
        }
        DpiState s = c.state();
        if (s.quicCrypto == null) {
            s.quicCrypto = new StreamBuffer();
            s.quicCrypto.startAfterSyn(-1); // CRYPTO offsets start at 0
        }
        if (!frames(packet.payload, s.quicCrypto, packet.version.cryptoFrameType())) {
            return Verdict.VIOLATION;
        }
        StreamBuffer crypto = s.quicCrypto;
        if (crypto.length < 4) {
            return Verdict.DETECTED;
        }
        if (crypto.data[0] == 'C'
                && crypto.data[1] == 'H'
                && crypto.data[2] == 'L'
                && crypto.data[3] == 'O') {
            // Q050 carries Google's CHLO, not TLS, in its CRYPTO frames.
            return google(c, crypto.data, 0, crypto.length);
        }
        if ((crypto.data[0] & 0xff) != CLIENT_HELLO) {
            return Verdict.VIOLATION;
        }
        int msgLen = Bytes.u24(crypto.data, 1);
        if (crypto.length - 4 < msgLen) {
            return crypto.length >= StreamBuffer.CAPACITY ? Verdict.VIOLATION : Verdict.DETECTED;
        }
        ClientHello ch = ClientHello.parse(crypto.data, 4, msgLen);
        if (ch == null) {
            return Verdict.VIOLATION;
        }
        FlowMetadata m = c.metadata();
        if (ch.sni != null && !ch.sni.isEmpty()) {
            m.tlsClientSni = ch.sni;
            m.hostServerName = Hostnames.sanitize(ch.sni);
        }
        if (!ch.alpn.isEmpty()) {
            m.tlsAlpn = ch.alpn.toArray(new String[0]);
        }
        if (ch.echType >= 0) {
            m.tlsEchVersion = Bytes.hex16(ch.echType);
        }
        m.tlsVersion = Bytes.hex16(0x0304); // QUIC carries TLS 1.3 only
        m.tlsJa4 = Ja4.of(ch, 'q');
        s.quicCrypto = null;
        c.updated();
        return Verdict.DONE;
    }

    /** Collects CRYPTO frames; false when the frames are malformed. */
    static boolean frames(byte[] f, StreamBuffer crypto, int cryptoFrameType) {
        int p = 0;
        long[] v = new long[1];
        while (p < f.length) {
            int type = f[p] & 0xff;
            p++;
            if (type == cryptoFrameType) {
                type = FRAME_CRYPTO;
            } else if (type == FRAME_CRYPTO) {
                return false;
            }
            switch (type) {
                case FRAME_PADDING:
                case FRAME_PING:
                    break;
                case FRAME_ACK:
                case FRAME_ACK_ECN:
                    {
                        long[] fields = new long[4];
                        for (int i = 0; i < 4; i++) {
                            int n = Varint.read(f, p, f.length, v);
                            if (n < 0) {
                                return false;
                            }
                            fields[i] = v[0];
                            p += n;
                        }
                        long ranges = fields[2];
                        for (long r = 0; r < ranges * 2 + (type == FRAME_ACK_ECN ? 3 : 0); r++) {
                            int n = Varint.read(f, p, f.length, v);
                            if (n < 0) {
                                return false;
                            }
                            p += n;
                        }
                        break;
                    }
                case FRAME_CRYPTO:
                    {
                        int n = Varint.read(f, p, f.length, v);
                        if (n < 0) {
                            return false;
                        }
                        long offset = v[0];
                        p += n;
                        n = Varint.read(f, p, f.length, v);
                        if (n < 0 || v[0] > f.length - p - n) {
                            return false;
                        }
                        p += n;
                        int dataLen = (int) v[0];
                        if (offset < StreamBuffer.CAPACITY) {
                            crypto.add((int) offset, f, p, dataLen);
                        }
                        p += dataLen;
                        break;
                    }
                case FRAME_CLOSE:
                case FRAME_CLOSE_APP:
                    return true; // nothing after a close matters
                default:
                    return false; // not allowed in an Initial packet
            }
        }
        return true;
    }

    /** Google QUIC before TLS: the CHLO message in the clear, with an SNI tag. */
    private Verdict google(DpiContext c, byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i + 8 <= end; i++) {
            if (b[i] == 'C' && b[i + 1] == 'H' && b[i + 2] == 'L' && b[i + 3] == 'O') {
                String sni = chloTag(b, i, end, 'S', 'N', 'I', 0);
                if (sni != null) {
                    FlowMetadata m = c.metadata();
                    m.hostServerName = Hostnames.sanitize(sni);
                    c.updated();
                    return Verdict.DONE;
                }
                return Verdict.DETECTED;
            }
        }
        return Verdict.DETECTED;
    }

    /** Value of a tag in a CHLO: tag count (LE16), 2 bytes padding, (tag, end offset LE32)*. */
    private static String chloTag(byte[] b, int chlo, int end, int t0, int t1, int t2, int t3) {
        int p = chlo + 4;
        if (end - p < 4) {
            return null;
        }
        int count = (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8);
        p += 4;
        if (count > 128 || end - p < count * 8) {
            return null;
        }
        int values = p + count * 8;
        int prevEnd = 0;
        for (int i = 0; i < count; i++) {
            int e = p + i * 8;
            long valueEnd =
                    (b[e + 4] & 0xff)
                            | ((b[e + 5] & 0xff) << 8)
                            | ((b[e + 6] & 0xff) << 16)
                            | ((long) (b[e + 7] & 0xff) << 24);
            if (valueEnd < prevEnd || valueEnd > end - values) {
                return null;
            }
            if (b[e] == t0 && b[e + 1] == t1 && b[e + 2] == t2 && b[e + 3] == t3) {
                return Bytes.printable(b, values + prevEnd, (int) valueEnd - prevEnd);
            }
            prevEnd = (int) valueEnd;
        }
        return null;
    }
}
