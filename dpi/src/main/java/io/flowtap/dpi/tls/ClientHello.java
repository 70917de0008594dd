package io.flowtap.dpi.tls;

import io.flowtap.dpi.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.flowtap.dpi.Bytes.u16;
import static io.flowtap.dpi.Bytes.u8;

/**
 * A parsed TLS ClientHello body (RFC 8446 4.1.2; also TLS 1.0-1.2): what JA4 and Netify's TLS
 * fields need. Lists keep wire order, GREASE values included (JA4 drops them itself).
 */
public final class ClientHello {
    /** Upper bound on list entries kept, whatever the lengths on the wire claim. */
    private static final int MAX_ITEMS = 512;

    public int legacyVersion;
    public final List<Integer> cipherSuites = new ArrayList<>();
    public final List<Integer> extensions = new ArrayList<>();
    public final List<Integer> supportedVersions = new ArrayList<>();
    public final List<Integer> signatureAlgorithms = new ArrayList<>();
    public final List<Integer> supportedGroups = new ArrayList<>();
    public final List<Integer> ecPointFormats = new ArrayList<>();
    public final List<String> alpn = new ArrayList<>();

    /** Raw bytes of the first ALPN value (JA4 looks at its first and last bytes). */
    public byte[] firstAlpn;

    public String sni;

    /** Type of an Encrypted Client Hello extension (0xfe0d, or a draft's), or -1. */
    public int echType = -1;

    /**
     * Parses a ClientHello body (after the 4-byte handshake header).
     *
     * @return null when the bytes are not a well-formed ClientHello
     */
    public static ClientHello parse(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        ClientHello ch = new ClientHello();
        if (end - p < 2 + 32 + 1) {
            return null;
        }
        ch.legacyVersion = u16(b, p);
        p += 2 + 32;
        int sessionIdLen = u8(b, p);
        p += 1;
        if (sessionIdLen > 32 || end - p < sessionIdLen + 2) {
            return null;
        }
        p += sessionIdLen;
        int suitesLen = u16(b, p);
        p += 2;
        if ((suitesLen & 1) != 0 || end - p < suitesLen + 1) {
            return null;
        }
        for (int i = 0; i < suitesLen; i += 2) {
            if (ch.cipherSuites.size() < MAX_ITEMS) {
                ch.cipherSuites.add(u16(b, p + i));
            }
        }
        p += suitesLen;
        int compressionLen = u8(b, p);
        p += 1;
        if (end - p < compressionLen) {
            return null;
        }
        p += compressionLen;
        if (p == end) {
            return ch; // no extensions (SSL 3.0 / early TLS)
        }
        if (end - p < 2) {
            return null;
        }
        int extLen = u16(b, p);
        p += 2;
        if (end - p < extLen) {
            return null;
        }
        int extEnd = p + extLen;
        while (p < extEnd) {
            if (extEnd - p < 4) {
                return null;
            }
            int type = u16(b, p);
            int len1 = u16(b, p + 2);
            p += 4;
            if (extEnd - p < len1) {
                return null;
            }
            if (ch.extensions.size() < MAX_ITEMS) {
                ch.extensions.add(type);
            }
            if (!ch.parseExtension(type, b, p, len1)) {
                return null;
            }
            p += len1;
        }
        return ch;
    }

    private boolean parseExtension(int type, byte[] b, int p, int len) {
        int end = p + len;
        switch (type) {
            case 0x0000: // server_name
                {
                    if (len == 0) {
                        return true; // empty in some server-side echoes
                    }
                    if (len < 2 || u16(b, p) > len - 2) {
                        return false;
                    }
                    int q = p + 2;
                    int listEnd = q + u16(b, p);
                    while (listEnd - q >= 3) {
                        int nameType = u8(b, q);
                        int nameLen = u16(b, q + 1);
                        q += 3;
                        if (listEnd - q < nameLen) {
                            return false;
                        }
                        if (nameType == 0 && sni == null) {
                            sni = Bytes.hostname(b, q, nameLen);
                        }
                        q += nameLen;
                    }
                    return true;
                }
            case 0x0010: // application_layer_protocol_negotiation
                {
                    if (len < 2 || u16(b, p) > len - 2) {
                        return false;
                    }
                    int q = p + 2;
                    int listEnd = q + u16(b, p);
                    while (q < listEnd) {
                        int n = u8(b, q);
                        q += 1;
                        if (listEnd - q < n) {
                            return false;
                        }
                        if (firstAlpn == null) {
                            firstAlpn = java.util.Arrays.copyOfRange(b, q, q + n);
                        }
                        if (alpn.size() < MAX_ITEMS) {
                            alpn.add(new String(b, q, n, StandardCharsets.ISO_8859_1));
                        }
                        q += n;
                    }
                    return true;
                }
            case 0x002b: // supported_versions
                {
                    if (len < 1 || u8(b, p) > len - 1) {
                        return false;
                    }
                    int n = u8(b, p);
                    for (int i = 0; i + 1 < n; i += 2) {
                        supportedVersions.add(u16(b, p + 1 + i));
                    }
                    return true;
                }
            case 0x000d: // signature_algorithms
                readU16List(b, p, end, signatureAlgorithms);
                return true;
            case 0x000a: // supported_groups
                readU16List(b, p, end, supportedGroups);
                return true;
            case 0x000b: // ec_point_formats
                {
                    if (len >= 1) {
                        int n = Math.min(u8(b, p), len - 1);
                        for (int i = 0; i < n && ecPointFormats.size() < MAX_ITEMS; i++) {
                            ecPointFormats.add(u8(b, p + 1 + i));
                        }
                    }
                    return true;
                }
            default:
                if (type == 0xfe0d || (type >= 0xfe08 && type <= 0xfe0c)) {
                    echType = type;
                }
                return true;
        }
    }

    private static void readU16List(byte[] b, int p, int end, List<Integer> out) {
        if (end - p < 2) {
            return;
        }
        int n = Math.min(u16(b, p), end - p - 2);
        for (int i = 0; i + 1 < n && out.size() < MAX_ITEMS; i += 2) {
            out.add(u16(b, p + 2 + i));
        }
    }

    /** RFC 8701 GREASE values: 0x0a0a, 0x1a1a, ..., 0xfafa. */
    public static boolean isGrease(int v) {
        return (v & 0x0f0f) == 0x0a0a && ((v >> 8) == (v & 0xff));
    }
}
