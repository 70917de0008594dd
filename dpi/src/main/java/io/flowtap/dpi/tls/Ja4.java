package io.flowtap.dpi.tls;

import io.flowtap.dpi.Digests;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * The JA4 TLS client fingerprint (FoxIO's published definition): {@code a_b_c} where
 *
 * <ul>
 *   <li>a: transport ({@code t} TCP, {@code q} QUIC, {@code d} DTLS), TLS version (highest
 *       supported_versions entry, else the ClientHello version), {@code d} with SNI or {@code i}
 *       without, cipher count and extension count (two digits each, at most 99), and the first and
 *       last characters of the first ALPN value ({@code 00} without ALPN);
 *   <li>b: the first 12 hex digits of SHA-256 over the sorted cipher suites (4 hex digits each,
 *       comma-separated);
 *   <li>c: the same over the sorted extensions without SNI and ALPN, then {@code _} and the
 *       signature algorithms in wire order;
 * </ul>
 *
 * GREASE values are ignored throughout. Computed once per TLS or QUIC flow, so the lists are sorted
 * and written as ASCII in arrays of their own, without boxed numbers or strings between.
 */
public final class Ja4 {
    private static final byte[] HEX = {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
    };
    private static final String EMPTY_HASH = "000000000000";

    private static final ThreadLocal<MessageDigest> SHA256 = Digests.perThread("SHA-256");

    private Ja4() {}

    public static String of(ClientHello ch, char transport) {
        int[] ciphers = withoutGrease(ch.cipherSuites);
        int[] extensions = withoutGrease(ch.extensions);
        StringBuilder out = new StringBuilder(36);
        out.append(transport);
        out.append(version(ch));
        out.append(ch.extensions.contains(0x0000) ? 'd' : 'i');
        twoDigits(out, ciphers.length);
        twoDigits(out, extensions.length);
        alpnChars(out, ch.firstAlpn);
        out.append('_');

        Arrays.sort(ciphers);
        out.append(ciphers.length == 0 ? EMPTY_HASH : hash12(hexList(ciphers, null)));
        out.append('_');

        int kept = 0;
        for (int e : extensions) {
            if (e != 0x0000 && e != 0x0010) {
                extensions[kept++] = e;
            }
        }
        int[] sortedExt = Arrays.copyOf(extensions, kept);
        Arrays.sort(sortedExt);
        if (sortedExt.length == 0) {
            out.append(EMPTY_HASH);
        } else {
            int[] sigs = withoutGrease(ch.signatureAlgorithms);
            out.append(hash12(hexList(sortedExt, sigs.length == 0 ? null : sigs)));
        }
        return out.toString();
    }

    private static String version(ClientHello ch) {
        int v = 0;
        for (int s : ch.supportedVersions) {
            if (!ClientHello.isGrease(s) && s > v) {
                v = s;
            }
        }
        if (v == 0) {
            v = ch.legacyVersion;
        }
        switch (v) {
            case 0x0304:
                return "13";
            case 0x0303:
                return "12";
            case 0x0302:
                return "11";
            case 0x0301:
                return "10";
            case 0x0300:
                return "s3";
            case 0x0002:
                return "s2";
            case 0xfeff:
                return "d1";
            case 0xfefd:
                return "d2";
            case 0xfefc:
                return "d3";
            default:
                return "00";
        }
    }

    private static void twoDigits(StringBuilder out, int n) {
        int v = Math.min(n, 99);
        out.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static void alpnChars(StringBuilder out, byte[] alpn) {
        if (alpn == null || alpn.length == 0) {
            out.append("00");
            return;
        }
        int first = alpn[0] & 0xff;
        int last = alpn[alpn.length - 1] & 0xff;
        if (isAlnum(first) && isAlnum(last)) {
            out.append((char) first).append((char) last);
        } else {
            // Non-alphanumeric: the first and last hex digits of the value instead.
            out.append((char) HEX[first >>> 4]).append((char) HEX[last & 0x0f]);
        }
    }

    private static boolean isAlnum(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static int[] withoutGrease(List<Integer> values) {
        int[] out = new int[values.size()];
        int n = 0;
        for (int i = 0; i < out.length; i++) {
            int v = values.get(i);
            if (!ClientHello.isGrease(v)) {
                out[n++] = v;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * The values as four lower-case hex digits each, comma-separated, in ASCII; then, if {@code
     * more} is given, {@code _} and those values the same way.
     */
    private static byte[] hexList(int[] values, int[] more) {
        int length = values.length * 5 - 1 + (more == null ? 0 : more.length * 5);
        byte[] out = new byte[length];
        int o = hex(values, out, 0);
        if (more != null) {
            out[o++] = '_';
            hex(more, out, o);
        }
        return out;
    }

    private static int hex(int[] values, byte[] out, int o) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out[o++] = ',';
            }
            int v = values[i];
            out[o++] = HEX[(v >>> 12) & 0x0f];
            out[o++] = HEX[(v >>> 8) & 0x0f];
            out[o++] = HEX[(v >>> 4) & 0x0f];
            out[o++] = HEX[v & 0x0f];
        }
        return o;
    }

    private static String hash12(byte[] input) {
        byte[] d = SHA256.get().digest(input);
        return io.flowtap.dpi.Bytes.hex(d, 0, 6);
    }
}
