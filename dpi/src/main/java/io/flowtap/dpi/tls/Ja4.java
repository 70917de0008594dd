package io.flowtap.dpi.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
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
 * GREASE values are ignored throughout.
 */
public final class Ja4 {
    private static final String EMPTY_HASH = "000000000000";

    private Ja4() {}

    public static String of(ClientHello ch, char transport) {
        List<Integer> ciphers = withoutGrease(ch.cipherSuites);
        List<Integer> extensions = withoutGrease(ch.extensions);
        StringBuilder a = new StringBuilder(10);
        a.append(transport);
        a.append(version(ch));
        a.append(ch.extensions.contains(0x0000) ? 'd' : 'i');
        a.append(twoDigits(ciphers.size()));
        a.append(twoDigits(extensions.size()));
        a.append(alpnChars(ch.firstAlpn));

        List<Integer> sortedCiphers = new ArrayList<>(ciphers);
        Collections.sort(sortedCiphers);
        String b = ciphers.isEmpty() ? EMPTY_HASH : hash12(hexList(sortedCiphers));

        List<Integer> sortedExt = new ArrayList<>();
        for (int e : extensions) {
            if (e != 0x0000 && e != 0x0010) {
                sortedExt.add(e);
            }
        }
        Collections.sort(sortedExt);
        String c;
        if (sortedExt.isEmpty()) {
            c = EMPTY_HASH;
        } else {
            String input = hexList(sortedExt);
            List<Integer> sigs = withoutGrease(ch.signatureAlgorithms);
            if (!sigs.isEmpty()) {
                input = input + "_" + hexList(sigs);
            }
            c = hash12(input);
        }
        return a + "_" + b + "_" + c;
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

    private static String twoDigits(int n) {
        int v = Math.min(n, 99);
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String alpnChars(byte[] alpn) {
        if (alpn == null || alpn.length == 0) {
            return "00";
        }
        char first = (char) (alpn[0] & 0xff);
        char last = (char) (alpn[alpn.length - 1] & 0xff);
        if (isAlnum(first) && isAlnum(last)) {
            return "" + first + last;
        }
        // Non-alphanumeric: the first and last hex digits of the value instead.
        String hex = io.flowtap.dpi.Bytes.hex(alpn, 0, alpn.length);
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean isAlnum(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static List<Integer> withoutGrease(List<Integer> values) {
        List<Integer> out = new ArrayList<>(values.size());
        for (int v : values) {
            if (!ClientHello.isGrease(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static String hexList(List<Integer> values) {
        StringBuilder sb = new StringBuilder(values.size() * 5);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String h = Integer.toHexString(values.get(i));
            for (int pad = h.length(); pad < 4; pad++) {
                sb.append('0');
            }
            sb.append(h);
        }
        return sb.toString();
    }

    private static String hash12(String input) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(input.getBytes(StandardCharsets.US_ASCII));
            return io.flowtap.dpi.Bytes.hex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
