package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;

/**
 * SSH (RFC 4253 4.2): the identification strings both ends send first, {@code
 * SSH-protoversion-softwareversion [comments]}, as {@code ssh.client} and {@code ssh.server}.
 */
public final class SshDissector implements Dissector {
    /** RFC 4253: at most 255 characters including CR LF. */
    private static final int MAX_BANNER = 255;

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isTcp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        FlowMetadata m = c.metadata();
        int client = side(c, c.clientStream(), true);
        int server = side(c, c.serverStream(), false);
        if (client < 0 || server < 0) {
            return m.protocol == Protocols.SSH ? Verdict.VIOLATION : Verdict.EXCLUDED;
        }
        if (client == 0 && server == 0) {
            return Verdict.NEED_MORE;
        }
        m.protocol = Protocols.SSH;
        return m.sshClient != null && m.sshServer != null ? Verdict.DONE : Verdict.DETECTED;
    }

    /** 1: banner read (or already known), 0: not enough bytes yet, -1: not SSH. */
    private static int side(DpiContext c, StreamBuffer s, boolean client) {
        FlowMetadata m = c.metadata();
        if ((client ? m.sshClient : m.sshServer) != null) {
            return 1;
        }
        if (s == null || s.length == 0) {
            return 0;
        }
        int n = Math.min(4, s.length);
        if (!Bytes.startsWith(s.data, 0, n, "SSH-".substring(0, n))) {
            return -1;
        }
        int limit = Math.min(s.length, MAX_BANNER);
        for (int i = 4; i < limit; i++) {
            if (s.data[i] == '\n') {
                int end = i > 0 && s.data[i - 1] == '\r' ? i - 1 : i;
                String banner = Bytes.printable(s.data, 0, end);
                if (client) {
                    m.sshClient = banner;
                } else {
                    m.sshServer = banner;
                }
                c.updated();
                return 1;
            }
        }
        return s.length >= MAX_BANNER ? -1 : 0;
    }
}
