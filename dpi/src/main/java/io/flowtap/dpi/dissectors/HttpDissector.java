package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Hostnames;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;

import java.util.Locale;

/**
 * HTTP/1.x (RFC 9112): the request line and the Host and User-Agent headers of the first request,
 * read from the reassembled client stream. A response seen first (the capture began mid-connection)
 * also identifies HTTP.
 */
public final class HttpDissector implements Dissector {
    private static final String[] METHODS = {
        "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ", "PATCH ", "TRACE "
    };
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_FIELD = 1024;
    private static final int HTTP_CONNECT = 130;

    @Override
    public String name() {
        return "http";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isTcp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        StreamBuffer client = c.clientStream();
        StreamBuffer server = c.serverStream();
        if (client != null && client.length > 0) {
            int method = method(client.data, client.length);
            if (method == -1) {
                return Verdict.EXCLUDED;
            }
            if (method == -2) {
                return Verdict.NEED_MORE;
            }
            return request(c, client.data, client.length, METHODS[method]);
        }
        if (server != null && server.length >= 8) {
            if (Bytes.startsWith(server.data, 0, server.length, "HTTP/1.")) {
                c.metadata().protocol = Protocols.HTTP;
                return Verdict.DETECTED;
            }
            return Verdict.EXCLUDED;
        }
        return Verdict.NEED_MORE;
    }

    /** Index of the method the data starts with; -1 none can match, -2 too short to tell. */
    private static int method(byte[] b, int len) {
        boolean partial = false;
        for (int i = 0; i < METHODS.length; i++) {
            String m = METHODS[i];
            int n = Math.min(len, m.length());
            boolean prefix = true;
            for (int j = 0; j < n; j++) {
                if (b[j] != m.charAt(j)) {
                    prefix = false;
                    break;
                }
            }
            if (prefix) {
                if (len >= m.length()) {
                    return i;
                }
                partial = true;
            }
        }
        return partial ? -2 : -1;
    }

    private Verdict request(DpiContext c, byte[] b, int len, String method) {
        FlowMetadata m = c.metadata();
        int limit = Math.min(len, MAX_HEADER_BYTES);
        int lineEnd = indexOf(b, 0, limit, '\n');
        if (lineEnd < 0) {
            return len >= MAX_HEADER_BYTES ? Verdict.VIOLATION : Verdict.NEED_MORE;
        }
        int start = method.length();
        int space = indexOf(b, start, lineEnd, ' ');
        if (space < 0 || !Bytes.startsWith(b, space + 1, lineEnd - space - 1, "HTTP/")) {
            return Verdict.VIOLATION;
        }
        m.protocol = method.equals("CONNECT ") ? HTTP_CONNECT : Protocols.HTTP;
        if (m.httpUrl == null) {
            m.httpUrl = Bytes.printable(b, start, Math.min(space - start, MAX_FIELD));
            c.updated();
        }
        boolean complete = false;
        int p = lineEnd + 1;
        while (p < limit) {
            int e = indexOf(b, p, limit, '\n');
            if (e < 0) {
                break;
            }
            int end = e > p && b[e - 1] == '\r' ? e - 1 : e;
            if (end == p) {
                complete = true;
                break;
            }
            header(c, b, p, end);
            p = e + 1;
        }
        if (complete || len >= MAX_HEADER_BYTES) {
            return Verdict.DONE;
        }
        return Verdict.DETECTED;
    }

    private static void header(DpiContext c, byte[] b, int start, int end) {
        int colon = indexOf(b, start, end, ':');
        if (colon < 0) {
            return;
        }
        String name = Bytes.printable(b, start, colon - start).trim().toLowerCase(Locale.ROOT);
        int v = colon + 1;
        while (v < end && (b[v] == ' ' || b[v] == '\t')) {
            v++;
        }
        String value = Bytes.printable(b, v, Math.min(end - v, MAX_FIELD)).trim();
        FlowMetadata m = c.metadata();
        if (name.equals("host") && m.hostServerName == null && !value.isEmpty()) {
            m.hostServerName = Hostnames.sanitize(hostOnly(value));
            c.updated();
        } else if (name.equals("user-agent") && m.httpUserAgent == null) {
            m.httpUserAgent = value;
            c.updated();
        } else if (name.equals("authorization")
                && value.regionMatches(true, 0, "Basic ", 0, 6)
                && !m.clearTextCredentials) {
            // RFC 7617: user and password, only base64-encoded.
            m.clearTextCredentials = true;
            c.updated();
        }
    }

    /** The host of a Host header value: without the port, IPv6 brackets kept. */
    static String hostOnly(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(0, close + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
    }

    static int indexOf(byte[] b, int from, int to, char ch) {
        for (int i = from; i < to; i++) {
            if (b[i] == ch) {
                return i;
            }
        }
        return -1;
    }
}
