package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;

/**
 * OpenVPN (the protocol's wire format as OpenVPN documents it): the client opens with a hard reset
 * (opcode 7, or 10 with tls-crypt-v2) carrying its 8-byte session id, and the server answers with
 * its own hard reset (opcode 8). Over TCP each packet has a 2-byte length prefix.
 */
public final class OpenVpnDissector implements Dissector {
    private static final int HARD_RESET_CLIENT_V2 = 7;
    private static final int HARD_RESET_SERVER_V2 = 8;
    private static final int HARD_RESET_CLIENT_V3 = 10;
    private static final int MIN_RESET = 9;

    @Override
    public String name() {
        return "openvpn";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isUdp() || p.isTcp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        if (p.isTcp()) {
            int client = tcpOpcode(c.clientStream());
            int server = tcpOpcode(c.serverStream());
            if (client == -1 || client >= 0 && !isClientReset(client)) {
                return Verdict.EXCLUDED;
            }
            if (server == -1 || server >= 0 && server != HARD_RESET_SERVER_V2) {
                return Verdict.EXCLUDED;
            }
            return server == HARD_RESET_SERVER_V2 ? detected(c) : Verdict.NEED_MORE;
        }
        DpiState s = c.state();
        int op = opcode(p.payload, p.offset, p.length);
        if (p.fromClient) {
            // The client's first packet must be its hard reset; later ones may be anything.
            if (s.clientDatagrams++ == 0 && !isClientReset(op)) {
                return Verdict.EXCLUDED;
            }
            return Verdict.NEED_MORE;
        }
        if (s.clientDatagrams == 0 || op != HARD_RESET_SERVER_V2) {
            return Verdict.EXCLUDED;
        }
        return detected(c);
    }

    private static boolean isClientReset(int op) {
        return op == HARD_RESET_CLIENT_V2 || op == HARD_RESET_CLIENT_V3;
    }

    private static Verdict detected(DpiContext c) {
        c.metadata().protocol = Protocols.OPENVPN;
        return Verdict.DONE;
    }

    /** The opcode of a packet: -2 none yet, -1 cannot be OpenVPN. */
    private static int opcode(byte[] b, int off, int len) {
        if (len < MIN_RESET) {
            return -1;
        }
        int op = (b[off] & 0xff) >> 3;
        int keyId = b[off] & 0x07;
        return keyId == 0 ? op : -1;
    }

    private static int tcpOpcode(StreamBuffer s) {
        if (s == null || s.length < 3) {
            return -2;
        }
        int n = Bytes.u16(s.data, 0);
        if (n < MIN_RESET || n > 1600) {
            return -1;
        }
        return opcode(s.data, 2, Math.min(n, s.length - 2));
    }
}
