package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * SSH (RFC 4253 4.2): the identification strings both ends send first, {@code
 * SSH-protoversion-softwareversion [comments]}, as {@code ssh.client} and {@code ssh.server}; then
 * each side's clear-text SSH_MSG_KEXINIT (RFC 4253 7.1), whose offered ciphers tell whether it
 * still accepts obsolete ones.
 */
public final class SshDissector implements Dissector {
    /** RFC 4253: at most 255 characters including CR LF. */
    private static final int MAX_BANNER = 255;

    private static final int SSH_MSG_KEXINIT = 20;

    /** Larger binary packets are not KEXINITs a dissector should wait for (RFC 4253 6.1). */
    private static final int MAX_PACKET = 35000;

    /** RC4 and the 64-bit block ciphers in CBC mode (RFC 8758, RFC 9142 deprecations). */
    private static final Set<String> OBSOLETE_CIPHERS =
            Set.of(
                    "arcfour",
                    "arcfour128",
                    "arcfour256",
                    "3des-cbc",
                    "blowfish-cbc",
                    "cast128-cbc");

    private static final int CLIENT_KEX = 1;
    private static final int SERVER_KEX = 2;

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
        if (m.sshClient == null || m.sshServer == null) {
            return Verdict.DETECTED;
        }
        DpiState st = c.state();
        if ((st.sshKex & CLIENT_KEX) == 0 && kexInit(c, c.clientStream(), true)) {
            st.sshKex |= CLIENT_KEX;
        }
        if ((st.sshKex & SERVER_KEX) == 0 && kexInit(c, c.serverStream(), false)) {
            st.sshKex |= SERVER_KEX;
        }
        return st.sshKex == (CLIENT_KEX | SERVER_KEX) ? Verdict.DONE : Verdict.DETECTED;
    }

    /**
     * Reads the KEXINIT that follows a side's banner; true once there is nothing more to wait for
     * (read, or the side sent something else).
     */
    private static boolean kexInit(DpiContext c, StreamBuffer s, boolean client) {
        int at = s == null ? -1 : bannerEnd(s);
        if (at < 0 || s.length < at + 6) {
            return false;
        }
        long packetLength = Bytes.u32(s.data, at);
        if (packetLength < 2 || packetLength > MAX_PACKET) {
            return true;
        }
        int end = at + 4 + (int) packetLength;
        if (end > s.length) {
            return s.length >= StreamBuffer.CAPACITY;
        }
        int p = at + 5;
        if ((s.data[p] & 0xff) != SSH_MSG_KEXINIT) {
            return true;
        }
        p += 17;
        // kex, host key, then ciphers client-to-server and server-to-client.
        String[] lists = new String[4];
        for (int i = 0; i < lists.length; i++) {
            if (p + 4 > end) {
                return true;
            }
            long n = Bytes.u32(s.data, p);
            if (n > end - p - 4) {
                return true;
            }
            lists[i] = new String(s.data, p + 4, (int) n, StandardCharsets.US_ASCII);
            p += 4 + (int) n;
        }
        String obsolete = obsolete(client ? lists[2] : lists[3]);
        if (obsolete != null) {
            FlowMetadata m = c.metadata();
            if (client) {
                m.sshClientObsoleteCipher = obsolete;
            } else {
                m.sshServerObsoleteCipher = obsolete;
            }
            c.updated();
        }
        return true;
    }

    private static String obsolete(String ciphers) {
        for (String cipher : ciphers.split(",")) {
            if (OBSOLETE_CIPHERS.contains(cipher)) {
                return cipher;
            }
        }
        return null;
    }

    /** The offset after a side's banner line, or -1. */
    private static int bannerEnd(StreamBuffer s) {
        int limit = Math.min(s.length, MAX_BANNER);
        for (int i = 4; i < limit; i++) {
            if (s.data[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
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
