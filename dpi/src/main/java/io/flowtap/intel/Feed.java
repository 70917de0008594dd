package io.flowtap.intel;

import io.flowtap.expr.Literals;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named data feed: IP addresses and networks, domain names, fingerprints and MAC addresses, one
 * per line. Blank lines and everything after a {@code #} are ignored. An entry is an address or
 * network if it parses as one (IPv4, IPv6, either with {@code /bits}), a MAC address if it is six
 * hex pairs joined by {@code :} or {@code -}, a fingerprint if it has the shape of a JA4
 * fingerprint or of a hex digest (32, 40 or 64 hex digits: MD5, SHA-1, SHA-256 of a certificate),
 * and otherwise a domain name (letters, digits, {@code -}, {@code _}, dots; a leading {@code *.} is
 * dropped). A domain matches itself and every name below it.
 */
public final class Feed implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Pattern JA4 =
            Pattern.compile("[tqd][0-9s]{2}[di][0-9]{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}([:-][0-9a-f]{2}){5}");
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern DOMAIN =
            Pattern.compile(
                    "(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    private final String name;
    private String digest = "";
    private final Set<String> addresses = new HashSet<>();
    private final List<byte[]> prefixes = new ArrayList<>();
    private final List<Integer> prefixBits = new ArrayList<>();
    private final Set<String> domains = new HashSet<>();
    private final Set<String> fingerprints = new HashSet<>();
    private final Set<String> macs = new HashSet<>();

    private Feed(String name) {
        this.name = name;
    }

    /**
     * Parses a feed's text, keeping the digest of the text ({@link #digest}) to tell versions
     * apart.
     *
     * @param source where the text comes from, for messages (e.g. the file's path)
     * @throws FeedException at the first line that holds no valid entry
     */
    public static Feed parse(String name, String source, String text) throws FeedException {
        Feed f = parse(name, source, List.of(text.split("\n", -1)));
        f.digest = digestOf(text);
        return f;
    }

    /** The SHA-256 of a feed's text, in hex. */
    public static String digestOf(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(
                                            text.getBytes(
                                                    java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of the text the feed was parsed from (empty when parsed from lines). */
    public String digest() {
        return digest;
    }

    /**
     * Parses a feed.
     *
     * @param source where the lines come from, for messages (e.g. the file's path)
     * @throws FeedException at the first line that holds no valid entry
     */
    public static Feed parse(String name, String source, List<String> lines) throws FeedException {
        Feed f = new Feed(name);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!entry.isEmpty()) {
                f.add(entry, source, i + 1);
            }
        }
        return f;
    }

    private void add(String entry, String source, int line) throws FeedException {
        if (entry.indexOf(' ') >= 0 || entry.indexOf('\t') >= 0) {
            throw new FeedException(source, line, "one entry per line, not '" + entry + "'");
        }
        String lower = entry.toLowerCase(Locale.ROOT);
        if (MAC.matcher(lower).matches()) {
            macs.add(lower.replace('-', ':'));
            return;
        }
        if (Character.digit(lower.charAt(0), 16) >= 0 || lower.indexOf(':') >= 0) {
            Literals.Network n = Literals.network(lower);
            if (n != null) {
                if (n.bits() == n.address().length * 8) {
                    addresses.add(HexFormat.of().formatHex(n.address()));
                } else {
                    prefixes.add(n.address());
                    prefixBits.add(n.bits());
                }
                return;
            }
            if (lower.indexOf(':') >= 0 || lower.indexOf('/') >= 0 || lower.matches("[0-9.]+")) {
                throw new FeedException(
                        source, line, "'" + entry + "' is not a valid address or network");
            }
        }
        if (JA4.matcher(lower).matches() || DIGEST.matcher(lower).matches()) {
            fingerprints.add(lower);
            return;
        }
        String domain = lower.startsWith("*.") ? lower.substring(2) : lower;
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw new FeedException(
                    source,
                    line,
                    "'" + entry + "' is not an address, a network, a domain or a fingerprint");
        }
        domains.add(domain);
    }

    public String name() {
        return name;
    }

    /** Entries of the feed. */
    public int size() {
        return addresses.size()
                + prefixes.size()
                + domains.size()
                + fingerprints.size()
                + macs.size();
    }

    /** Whether the address (4 or 16 bytes) is listed or inside a listed network. */
    public boolean matchesAddress(byte[] address) {
        if (address == null) {
            return false;
        }
        if (addresses.contains(HexFormat.of().formatHex(address))) {
            return true;
        }
        for (int i = 0; i < prefixes.size(); i++) {
            if (new Literals.Network(prefixes.get(i), prefixBits.get(i)).contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the name is a listed domain or below one (case and a final dot ignored). */
    public boolean matchesDomain(String host) {
        if (host == null || host.isEmpty() || domains.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        while (true) {
            if (domains.contains(h)) {
                return true;
            }
            int dot = h.indexOf('.');
            if (dot < 0) {
                return false;
            }
            h = h.substring(dot + 1);
        }
    }

    /** Whether the MAC address ({@code 02:00:5e:00:00:01}, any case) is listed. */
    public boolean matchesMac(String mac) {
        return mac != null && !macs.isEmpty() && macs.contains(mac.toLowerCase(Locale.ROOT));
    }

    /** Whether the fingerprint (JA4 or a hex digest, any case) is listed. */
    public boolean matchesFingerprint(String fingerprint) {
        return fingerprint != null
                && !fingerprint.isEmpty()
                && fingerprints.contains(fingerprint.toLowerCase(Locale.ROOT));
    }
}
