package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Hostnames;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.Verdict;

import java.util.Locale;

/**
 * SSDP (UPnP Device Architecture 2.0, HTTP over UDP on port 1900): M-SEARCH, NOTIFY and their
 * responses; the User-Agent (or Server) header as {@code ssdp.user_agent}, the Host header's host
 * as the hostname.
 */
public final class SsdpDissector implements Dissector {
    private static final String[] STARTS = {"M-SEARCH * HTTP/1.", "NOTIFY * HTTP/1.", "HTTP/1."};

    private static boolean contains(DpiPacket p, String header) {
        String text =
                Bytes.printable(p.payload, p.offset, Math.min(p.length, 4096))
                        .toUpperCase(Locale.ROOT);
        return text.contains(header);
    }

    @Override
    public String name() {
        return "ssdp";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isUdp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        FlowMetadata m = c.metadata();
        boolean start = false;
        for (String s : STARTS) {
            start |= Bytes.startsWith(p.payload, p.offset, p.length, s);
        }
        if (start && !p.hasPort(1900) && Bytes.startsWith(p.payload, p.offset, p.length, "HTTP/")) {
            // Search responses go from a device's port to the searcher's: an HTTP response
            // over UDP with SSDP's search target and unique service name headers.
            start = contains(p, "\nST:") && contains(p, "\nUSN:");
        }
        if (!start) {
            return m.protocol == Protocols.SSDP ? Verdict.DETECTED : Verdict.EXCLUDED;
        }
        m.protocol = Protocols.SSDP;
        int end = p.offset + Math.min(p.length, 4096);
        int q = p.offset;
        while (q < end) {
            int e = HttpDissector.indexOf(p.payload, q, end, '\n');
            int lineEnd = e < 0 ? end : e;
            int stop = lineEnd > q && p.payload[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            int colon = HttpDissector.indexOf(p.payload, q, stop, ':');
            if (colon > q) {
                String name =
                        Bytes.printable(p.payload, q, colon - q).trim().toLowerCase(Locale.ROOT);
                String value = Bytes.printable(p.payload, colon + 1, stop - colon - 1).trim();
                if ((name.equals("user-agent") || name.equals("server"))
                        && m.ssdpUserAgent == null
                        && !value.isEmpty()) {
                    m.ssdpUserAgent = value;
                    c.updated();
                } else if (name.equals("host") && m.hostServerName == null) {
                    m.hostServerName = Hostnames.sanitize(HttpDissector.hostOnly(value));
                    c.updated();
                }
            }
            if (e < 0) {
                break;
            }
            q = e + 1;
        }
        return m.ssdpUserAgent != null ? Verdict.DONE : Verdict.DETECTED;
    }
}
