package io.flowtap.dpi.tls;

import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.Verdict;

/**
 * DTLS over UDP: a flow that opens with a DTLS ClientHello is 244 DTLS, with the ClientHello's SNI,
 * ALPN and JA4 (prefix {@code d}) and the ServerHello's version and cipher suite. DTLS inside a
 * STUN flow (WebRTC media) is read by the STUN dissector with the same code.
 */
public final class DtlsDissector implements Dissector {
    @Override
    public String name() {
        return "dtls";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isUdp() && p.length > 0;
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        FlowMetadata m = c.metadata();
        boolean known = m.protocol == Protocols.DTLS;
        if (!Dtls.startsHandshake(p.payload, p.offset, p.length)) {
            return known ? Verdict.DETECTED : Verdict.EXCLUDED;
        }
        int hello = Dtls.readHello(p.payload, p.offset, p.length, m);
        if (hello < 0) {
            return known ? Verdict.VIOLATION : Verdict.EXCLUDED;
        }
        if (hello == 0) {
            return known ? Verdict.DETECTED : Verdict.NEED_MORE;
        }
        m.protocol = Protocols.DTLS;
        c.updated();
        return m.tlsJa4 != null && m.tlsCipherSuite != null ? Verdict.DONE : Verdict.DETECTED;
    }
}
