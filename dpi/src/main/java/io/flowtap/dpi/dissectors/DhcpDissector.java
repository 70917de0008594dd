package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Hostnames;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.Verdict;

/**
 * DHCP (RFC 2131, options RFC 2132) on ports 67/68: the parameter request list (option 55) as
 * {@code dhcp.fingerprint} (comma-separated codes), the vendor class identifier (option 60) as
 * {@code dhcp.class_ident}, and the client's host name (option 12) as the flow's hostname.
 */
public final class DhcpDissector implements Dissector {
    private static final int BOOTP_HEADER = 236;
    private static final long MAGIC_COOKIE = 0x63825363L;
    private static final int OPT_PAD = 0;
    private static final int OPT_HOSTNAME = 12;
    private static final int OPT_MESSAGE_TYPE = 53;
    private static final int OPT_PARAMETER_LIST = 55;
    private static final int OPT_CLASS_ID = 60;
    private static final int OPT_END = 255;

    @Override
    public String name() {
        return "dhcp";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isUdp() && (p.hasPort(67) || p.hasPort(68));
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        byte[] b = p.payload;
        int off = p.offset;
        int len = p.length;
        FlowMetadata m = c.metadata();
        if (len < BOOTP_HEADER + 4
                || (b[off] != 1 && b[off] != 2)
                || Bytes.u32(b, off + BOOTP_HEADER) != MAGIC_COOKIE) {
            return m.protocol == Protocols.DHCP ? Verdict.VIOLATION : Verdict.EXCLUDED;
        }
        m.protocol = Protocols.DHCP;
        boolean request = false;
        int q = off + BOOTP_HEADER + 4;
        int end = off + len;
        while (q < end) {
            int code = b[q] & 0xff;
            if (code == OPT_END) {
                break;
            }
            if (code == OPT_PAD) {
                q++;
                continue;
            }
            if (end - q < 2 || end - q - 2 < (b[q + 1] & 0xff)) {
                return Verdict.VIOLATION;
            }
            int n = b[q + 1] & 0xff;
            int v = q + 2;
            switch (code) {
                case OPT_MESSAGE_TYPE:
                    // DISCOVER, REQUEST, DECLINE, RELEASE and INFORM come from the client.
                    int type = n > 0 ? b[v] & 0xff : 0;
                    request = type == 1 || type == 3 || type == 4 || type == 7 || type == 8;
                    break;
                case OPT_PARAMETER_LIST:
                    if (m.dhcpFingerprint == null) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < n; i++) {
                            if (i > 0) {
                                sb.append(',');
                            }
                            sb.append(b[v + i] & 0xff);
                        }
                        m.dhcpFingerprint = sb.toString();
                        c.updated();
                    }
                    break;
                case OPT_CLASS_ID:
                    if (m.dhcpClassIdent == null) {
                        m.dhcpClassIdent = Bytes.printable(b, v, n);
                        c.updated();
                    }
                    break;
                case OPT_HOSTNAME:
                    if (m.hostServerName == null) {
                        m.hostServerName = Hostnames.sanitize(Bytes.printable(b, v, n));
                        c.updated();
                    }
                    break;
                default:
                    break;
            }
            q = v + n;
        }
        // A client's request tells all there is; a server's reply alone may be followed by one.
        return request ? Verdict.DONE : Verdict.DETECTED;
    }
}
