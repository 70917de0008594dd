package io.flowtap.dpi.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.flowtap.dpi.Bytes.u16;
import static io.flowtap.dpi.Bytes.u8;

/** A parsed TLS ServerHello body: negotiated version, cipher suite and ALPN. */
public final class ServerHello {
    public int legacyVersion;

    /** supported_versions selection (TLS 1.3), or 0. */
    public int selectedVersion;

    public int cipherSuite;
    public final List<String> alpn = new ArrayList<>();

    /** The negotiated version: supported_versions when present, else the legacy field. */
    public int version() {
        return selectedVersion != 0 ? selectedVersion : legacyVersion;
    }

    public static ServerHello parse(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        if (end - p < 2 + 32 + 1) {
            return null;
        }
        ServerHello sh = new ServerHello();
        sh.legacyVersion = u16(b, p);
        p += 34;
        int sessionIdLen = u8(b, p);
        p += 1;
        if (sessionIdLen > 32 || end - p < sessionIdLen + 3) {
            return null;
        }
        p += sessionIdLen;
        sh.cipherSuite = u16(b, p);
        p += 3; // cipher suite and compression method
        if (end - p < 2) {
            return sh;
        }
        int extLen = u16(b, p);
        p += 2;
        if (end - p < extLen) {
            return null;
        }
        int extEnd = p + extLen;
        while (extEnd - p >= 4) {
            int type = u16(b, p);
            int l = u16(b, p + 2);
            p += 4;
            if (extEnd - p < l) {
                return null;
            }
            if (type == 0x002b && l == 2) {
                sh.selectedVersion = u16(b, p);
            } else if (type == 0x0010 && l >= 3) {
                int q = p + 2;
                int listEnd = Math.min(p + l, q + u16(b, p));
                while (q < listEnd) {
                    int n = u8(b, q);
                    q++;
                    if (listEnd - q < n) {
                        break;
                    }
                    sh.alpn.add(new String(b, q, n, StandardCharsets.ISO_8859_1));
                    q += n;
                }
            }
            p += l;
        }
        return sh;
    }
}
