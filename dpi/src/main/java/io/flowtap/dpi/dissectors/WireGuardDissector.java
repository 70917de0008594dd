package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.Verdict;

/**
 * WireGuard (the protocol paper, section 5.4): message type in the first byte and three zero
 * reserved bytes; handshake initiation is 148 bytes, response 92, cookie reply 64, transport data
 * at least 32 and a multiple of 16. A handshake message, or two data messages, identify it.
 */
public final class WireGuardDissector implements Dissector {
    @Override
    public String name() {
        return "wireguard";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isUdp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        byte[] b = p.payload;
        int o = p.offset;
        if (p.length < 32 || b[o + 1] != 0 || b[o + 2] != 0 || b[o + 3] != 0) {
            return Verdict.EXCLUDED;
        }
        int type = b[o];
        boolean handshake =
                type == 1 && p.length == 148
                        || type == 2 && p.length == 92
                        || type == 3 && p.length == 64;
        boolean data = type == 4 && p.length % 16 == 0;
        if (!handshake && !data) {
            return Verdict.EXCLUDED;
        }
        DpiState s = c.state();
        s.datagrams++;
        if (handshake || s.datagrams >= 2) {
            c.metadata().protocol = Protocols.WIREGUARD;
            return Verdict.DONE;
        }
        return Verdict.NEED_MORE;
    }
}
