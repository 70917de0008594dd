package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.Verdict;

/**
 * NTP (RFC 5905, and versions 1-3) on port 123: a 48-byte header (more with extension fields or a
 * MAC) with a version of 1 to 4 and a valid mode.
 */
public final class NtpDissector implements Dissector {
    private static final int HEADER = 48;

    @Override
    public String name() {
        return "ntp";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isUdp() && p.hasPort(123);
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        if (p.length < HEADER) {
            // NTP mode 6/7 control messages are shorter: header of 12 (mode 6) or 8 bytes.
            if (p.length >= 8) {
                int mode = p.payload[p.offset] & 0x07;
                int version = (p.payload[p.offset] >> 3) & 0x07;
                if ((mode == 6 || mode == 7) && version >= 1 && version <= 4) {
                    c.metadata().protocol = Protocols.NTP;
                    return Verdict.DONE;
                }
            }
            return Verdict.EXCLUDED;
        }
        int first = p.payload[p.offset] & 0xff;
        int version = (first >> 3) & 0x07;
        int mode = first & 0x07;
        if (version < 1 || version > 4 || mode == 0) {
            return Verdict.EXCLUDED;
        }
        c.metadata().protocol = Protocols.NTP;
        return Verdict.DONE;
    }
}
