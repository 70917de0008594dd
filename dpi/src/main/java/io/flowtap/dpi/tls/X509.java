package io.flowtap.dpi.tls;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Just enough DER (X.690) to read what Netify reports of a server certificate: issuer and subject
 * names, the subject's common name, validity and the DNS names of the subject alternative names.
 * Bounds-checked; a malformed certificate yields null.
 */
public final class X509 {
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int OID = 0x06;
    private static final int MAX_DEPTH_ATTRIBUTES = 64;

    public String issuerDn;
    public String subjectDn;
    public String subjectCn;
    public long notBeforeMs;
    public long notAfterMs;
    public boolean selfIssued;

    /** dNSName entries of the subject alternative name extension. */
    public List<String> dnsNames = List.of();

    private X509() {}

    /** Parses a DER certificate, or returns null. */
    public static X509 parse(byte[] b, int off, int len) {
        try {
            Der cert = Der.read(b, off, off + len);
            if (cert == null || cert.tag != SEQUENCE) {
                return null;
            }
            Der tbs = Der.read(b, cert.contentStart, cert.end);
            if (tbs == null || tbs.tag != SEQUENCE) {
                return null;
            }
            int p = tbs.contentStart;
            Der f = Der.read(b, p, tbs.end);
            if (f != null && f.tag == 0xa0) { // [0] version
                p = f.end;
                f = Der.read(b, p, tbs.end);
            }
            if (f == null) {
                return null;
            }
            p = f.end; // serial number
            Der sigAlg = Der.read(b, p, tbs.end);
            if (sigAlg == null) {
                return null;
            }
            Der issuer = Der.read(b, sigAlg.end, tbs.end);
            if (issuer == null || issuer.tag != SEQUENCE) {
                return null;
            }
            Der validity = Der.read(b, issuer.end, tbs.end);
            if (validity == null || validity.tag != SEQUENCE) {
                return null;
            }
            Der subject = Der.read(b, validity.end, tbs.end);
            if (subject == null || subject.tag != SEQUENCE) {
                return null;
            }
            X509 x = new X509();
            String[] cn = new String[1];
            x.issuerDn = name(b, issuer, null);
            x.subjectDn = name(b, subject, cn);
            x.subjectCn = cn[0];
            x.selfIssued =
                    Arrays.equals(b, issuer.start, issuer.end, b, subject.start, subject.end);
            x.dnsNames = subjectAltNames(b, subject.end, tbs.end);
            Der nb = Der.read(b, validity.contentStart, validity.end);
            Der na = nb == null ? null : Der.read(b, nb.end, validity.end);
            x.notBeforeMs = nb == null ? 0 : time(b, nb);
            x.notAfterMs = na == null ? 0 : time(b, na);
            return x;
        } catch (RuntimeException e) {
            // Defensive: every read is checked, but a certificate is attacker-controlled.
            return null;
        }
    }

    private static final byte[] SAN_OID = {0x55, 0x1d, 0x11};
    private static final int EXTENSIONS = 0xa3;
    private static final int BOOLEAN = 0x01;
    private static final int OCTET_STRING = 0x04;
    private static final int DNS_NAME = 0x82;
    private static final int MAX_NAMES = 256;

    /** The dNSName entries of the subjectAltName extension (RFC 5280 4.2.1.6), lower case. */
    private static List<String> subjectAltNames(byte[] b, int p, int end) {
        Der extensions = extensions(b, p, end);
        if (extensions == null) {
            return List.of();
        }
        int q = extensions.contentStart;
        while (q < extensions.end) {
            Der ext = Der.read(b, q, extensions.end);
            if (ext == null) {
                break;
            }
            Der value = subjectAltNameValue(b, ext);
            if (value != null) {
                return dnsNames(b, value);
            }
            q = ext.end;
        }
        return List.of();
    }

    /** The SEQUENCE of extensions in the TBSCertificate's [3] field, after the subject. */
    private static Der extensions(byte[] b, int p, int end) {
        while (p < end) {
            Der f = Der.read(b, p, end);
            if (f == null) {
                return null;
            }
            if (f.tag == EXTENSIONS) {
                return Der.read(b, f.contentStart, f.end);
            }
            p = f.end;
        }
        return null;
    }

    /** The extnValue of a subjectAltName extension, or null for any other extension. */
    private static Der subjectAltNameValue(byte[] b, Der ext) {
        Der oid = Der.read(b, ext.contentStart, ext.end);
        if (oid == null
                || oid.tag != OID
                || !Arrays.equals(b, oid.contentStart, oid.end, SAN_OID, 0, SAN_OID.length)) {
            return null;
        }
        Der v = Der.read(b, oid.end, ext.end);
        if (v != null && v.tag == BOOLEAN) {
            v = Der.read(b, v.end, ext.end);
        }
        return v != null && v.tag == OCTET_STRING ? v : null;
    }

    private static List<String> dnsNames(byte[] b, Der value) {
        List<String> names = new ArrayList<>();
        Der seq = Der.read(b, value.contentStart, value.end);
        int r = seq == null ? value.end : seq.contentStart;
        while (seq != null && r < seq.end && names.size() < MAX_NAMES) {
            Der name = Der.read(b, r, seq.end);
            if (name == null) {
                break;
            }
            if (name.tag == DNS_NAME) {
                String text =
                        new String(
                                b,
                                name.contentStart,
                                name.end - name.contentStart,
                                StandardCharsets.ISO_8859_1);
                names.add(clean(text).toLowerCase(Locale.ROOT));
            }
            r = name.end;
        }
        return names;
    }

    /** "C=US, O=Example, CN=www.example.com": attributes in certificate order. */
    private static String name(byte[] b, Der name, String[] cnOut) {
        StringBuilder sb = new StringBuilder();
        int p = name.contentStart;
        int count = 0;
        while (p < name.end && count++ < MAX_DEPTH_ATTRIBUTES) {
            Der rdn = Der.read(b, p, name.end);
            if (rdn == null || rdn.tag != SET) {
                break;
            }
            int q = rdn.contentStart;
            while (q < rdn.end) {
                Der atv = Der.read(b, q, rdn.end);
                if (atv == null || atv.tag != SEQUENCE) {
                    break;
                }
                Der oid = Der.read(b, atv.contentStart, atv.end);
                Der value = oid == null ? null : Der.read(b, oid.end, atv.end);
                if (oid != null && oid.tag == OID && value != null) {
                    String key = attributeName(b, oid);
                    String text = string(b, value);
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(key).append('=').append(text);
                    if (cnOut != null && key.equals("CN") && cnOut[0] == null) {
                        cnOut[0] = text;
                    }
                }
                q = atv.end;
            }
            p = rdn.end;
        }
        return sb.toString();
    }

    private static String attributeName(byte[] b, Der oid) {
        int n = oid.end - oid.contentStart;
        int s = oid.contentStart;
        if (n == 3 && b[s] == 0x55 && b[s + 1] == 0x04) {
            switch (b[s + 2]) {
                case 3:
                    return "CN";
                case 5:
                    return "serialNumber";
                case 6:
                    return "C";
                case 7:
                    return "L";
                case 8:
                    return "ST";
                case 9:
                    return "street";
                case 10:
                    return "O";
                case 11:
                    return "OU";
                default:
                    break;
            }
        }
        byte[] email = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x09, 0x01};
        if (Arrays.equals(b, s, oid.end, email, 0, email.length)) {
            return "emailAddress";
        }
        return dotted(b, s, oid.end);
    }

    private static String dotted(byte[] b, int s, int e) {
        StringBuilder sb = new StringBuilder();
        long v = 0;
        boolean first = true;
        for (int i = s; i < e; i++) {
            v = (v << 7) | (b[i] & 0x7f);
            if ((b[i] & 0x80) == 0) {
                if (first) {
                    sb.append(Math.min(v / 40, 2)).append('.').append(v - Math.min(v / 40, 2) * 40);
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = 0;
            }
            if (sb.length() > 64) {
                break;
            }
        }
        return sb.toString();
    }

    private static String string(byte[] b, Der v) {
        int n = v.end - v.contentStart;
        switch (v.tag) {
            case 0x1e: // BMPString
                return clean(new String(b, v.contentStart, n & ~1, StandardCharsets.UTF_16BE));
            case 0x0c: // UTF8String
                return clean(new String(b, v.contentStart, n, StandardCharsets.UTF_8));
            default: // Printable, IA5, T61, Visible...
                return clean(new String(b, v.contentStart, n, StandardCharsets.ISO_8859_1));
        }
    }

    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 1024; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }

    private static long time(byte[] b, Der t) {
        String s = new String(b, t.contentStart, t.end - t.contentStart, StandardCharsets.US_ASCII);
        try {
            int year;
            int i;
            if (t.tag == 0x17 && s.length() >= 12) { // UTCTime YYMMDDHHMMSSZ
                year = Integer.parseInt(s.substring(0, 2));
                year += year < 50 ? 2000 : 1900;
                i = 2;
            } else if (t.tag == 0x18 && s.length() >= 14) { // GeneralizedTime
                year = Integer.parseInt(s.substring(0, 4));
                i = 4;
            } else {
                return 0;
            }
            LocalDateTime dt =
                    LocalDateTime.of(
                            year,
                            Integer.parseInt(s.substring(i, i + 2)),
                            Integer.parseInt(s.substring(i + 2, i + 4)),
                            Integer.parseInt(s.substring(i + 4, i + 6)),
                            Integer.parseInt(s.substring(i + 6, i + 8)),
                            Integer.parseInt(s.substring(i + 8, i + 10)));
            return dt.toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** One DER element: tag, and where its content lies. */
    private static final class Der {
        int tag;
        int start;
        int contentStart;
        int end;

        static Der read(byte[] b, int p, int limit) {
            if (limit - p < 2) {
                return null;
            }
            Der d = new Der();
            d.start = p;
            d.tag = b[p] & 0xff;
            if ((d.tag & 0x1f) == 0x1f) {
                return null; // high tag numbers do not occur in what we read
            }
            int l = b[p + 1] & 0xff;
            int q = p + 2;
            long len;
            if (l < 0x80) {
                len = l;
            } else {
                int n = l & 0x7f;
                if (n == 0 || n > 4 || limit - q < n) {
                    return null;
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[q + i] & 0xff);
                }
                q += n;
            }
            if (len > limit - q) {
                return null;
            }
            d.contentStart = q;
            d.end = q + (int) len;
            return d;
        }
    }
}
