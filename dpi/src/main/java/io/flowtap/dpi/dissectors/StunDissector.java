package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Hostnames;
import io.flowtap.dpi.IpText;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;
import io.flowtap.dpi.tls.Dtls;

/**
 * STUN (RFC 8489, and RFC 3489's classic form) and TURN (RFC 8656) over UDP: the addresses the
 * messages carry, as {@code stun.mapped}, {@code other}, {@code peer}, {@code relayed} and {@code
 * response} ("ip:port"). Messages must have a valid type, a length that matches the datagram and,
 * for the modern form, the magic cookie.
 */
public final class StunDissector implements Dissector {
    private static final long MAGIC_COOKIE = 0x2112A442L;
    private static final int HEADER = 20;
    private static final int MAPPED_ADDRESS = 0x0001;
    private static final int RESPONSE_ADDRESS = 0x0002;
    private static final int CHANGED_ADDRESS = 0x0005;
    private static final int XOR_PEER_ADDRESS = 0x0012;
    private static final int XOR_RELAYED_ADDRESS = 0x0016;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int RESPONSE_ORIGIN = 0x802b;
    private static final int OTHER_ADDRESS = 0x802c;
    private static final int REALM = 0x0014;

    /** A few well-formed messages make STUN certain. */
    private static final int MESSAGES_TO_CONFIRM = 2;

    @Override
    public String name() {
        return "stun";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isUdp() || p.isTcp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        FlowMetadata m = c.metadata();
        byte[] b = p.payload;
        int off = p.offset;
        int len = p.length;
        if (p.isTcp()) {
            // Over TCP, messages follow each other in the stream (RFC 8489 6.2.2), possibly
            // each behind a 2-byte length (RFC 4571 framing): the first one is at the start.
            StreamBuffer s = p.fromClient ? c.clientStream() : c.serverStream();
            if (s == null || s.length < HEADER + 2) {
                return Verdict.NEED_MORE;
            }
            int start = Bytes.u16(s.data, 0) == HEADER + Bytes.u16(s.data, 4) ? 2 : 0;
            int n = HEADER + Bytes.u16(s.data, start + 2);
            if (s.length - start < n) {
                return n > StreamBuffer.CAPACITY ? Verdict.EXCLUDED : Verdict.NEED_MORE;
            }
            b = s.data;
            off = start;
            len = n;
        }
        boolean known = m.protocol == Protocols.STUN;
        if (known && p.isUdp() && Dtls.startsHandshake(b, off, len)) {
            // WebRTC: DTLS on the ports STUN checked (RFC 7983 demultiplexing).
            if (Dtls.readHello(b, off, len, m) > 0) {
                c.updated();
            }
            return done(c) ? Verdict.DONE : Verdict.DETECTED;
        }
        if (len < HEADER
                || (b[off] & 0xc0) != 0
                || Bytes.u16(b, off + 2) != len - HEADER
                || (Bytes.u16(b, off + 2) & 3) != 0) {
            // Media (RTP, DTLS) follows STUN on the same ports: only the first packets decide.
            return known ? Verdict.DETECTED : Verdict.EXCLUDED;
        }
        boolean modern = Bytes.u32(b, off + 4) == MAGIC_COOKIE;
        int type = Bytes.u16(b, off);
        int method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
        if (method == 0 || method > 0x00f) {
            return known ? Verdict.DETECTED : Verdict.EXCLUDED;
        }
        int q = off + HEADER;
        int end = off + len;
        while (end - q >= 4) {
            int at = Bytes.u16(b, q);
            int n = Bytes.u16(b, q + 2);
            if (end - q - 4 < n) {
                return known ? Verdict.VIOLATION : Verdict.EXCLUDED;
            }
            attribute(c, at, b, q + 4, n, modern, off);
            q += 4 + ((n + 3) & ~3);
        }
        DpiState s = c.state();
        s.datagrams++;
        if (!known && !modern && s.datagrams < MESSAGES_TO_CONFIRM) {
            return Verdict.NEED_MORE; // the classic form has no cookie to be sure by
        }
        m.protocol = Protocols.STUN;
        return done(c) ? Verdict.DONE : Verdict.DETECTED;
    }

    /**
     * Enough STUN messages seen, and the DTLS handshake that may follow read; until then the flow
     * stays under inspection (up to the packet budget).
     */
    private static boolean done(DpiContext c) {
        FlowMetadata m = c.metadata();
        return c.state().datagrams >= 4 && m.tlsJa4 != null && m.tlsCipherSuite != null;
    }

    private static void attribute(
            DpiContext c, int type, byte[] b, int v, int n, boolean modern, int msg) {
        FlowMetadata m = c.metadata();
        if (type == REALM) {
            // TURN servers name their realm (often their domain): Netify reports it as the host.
            String realm = Hostnames.sanitize(Bytes.printable(b, v, Math.min(n, 255)));
            if (realm != null && realm.contains(".") && m.hostServerName == null) {
                m.hostServerName = realm;
                c.updated();
            }
            return;
        }
        boolean xor;
        switch (type) {
            case XOR_MAPPED_ADDRESS:
            case XOR_PEER_ADDRESS:
            case XOR_RELAYED_ADDRESS:
                xor = true;
                break;
            case MAPPED_ADDRESS:
            case RESPONSE_ADDRESS:
            case CHANGED_ADDRESS:
            case RESPONSE_ORIGIN:
            case OTHER_ADDRESS:
                xor = false;
                break;
            default:
                return;
        }
        String address = address(b, v, n, xor && modern, msg);
        if (address == null) {
            return;
        }
        switch (type) {
            case XOR_MAPPED_ADDRESS:
            case MAPPED_ADDRESS:
                if (m.stunMapped == null) {
                    m.stunMapped = address;
                    c.updated();
                }
                break;
            case OTHER_ADDRESS:
            case CHANGED_ADDRESS:
                if (m.stunOther == null) {
                    m.stunOther = address;
                    c.updated();
                }
                break;
            case XOR_PEER_ADDRESS:
                if (m.stunPeer == null) {
                    m.stunPeer = address;
                    c.updated();
                }
                break;
            case XOR_RELAYED_ADDRESS:
                if (m.stunRelayed == null) {
                    m.stunRelayed = address;
                    c.updated();
                }
                break;
            default:
                if (m.stunResponse == null) {
                    m.stunResponse = address;
                    c.updated();
                }
                break;
        }
    }

    /** An address attribute: reserved, family (1 IPv4, 2 IPv6), port, address. */
    private static String address(byte[] b, int v, int n, boolean xor, int msg) {
        if (n < 8) {
            return null;
        }
        int family = b[v + 1] & 0xff;
        int alen = family == 1 ? 4 : family == 2 ? 16 : 0;
        if (alen == 0 || n < 4 + alen) {
            return null;
        }
        int port = Bytes.u16(b, v + 2);
        byte[] a = new byte[alen];
        System.arraycopy(b, v + 4, a, 0, alen);
        if (xor) {
            port ^= (int) (MAGIC_COOKIE >>> 16);
            // XOR with the magic cookie, then (IPv6) the transaction id: header bytes 4..19.
            for (int i = 0; i < alen; i++) {
                a[i] ^= b[msg + 4 + i];
            }
        }
        String ip = IpText.format(a);
        return (alen == 16 ? "[" + ip + "]" : ip) + ":" + port;
    }
}
