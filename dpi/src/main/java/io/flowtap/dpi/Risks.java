package io.flowtap.dpi;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Flow risks: a documented subset of nDPI's risk catalogue with nDPI's ids, severities and
 * client/server split (docs/protocols.md lists them). A risk scores its severity (low 10, medium
 * 50, high 100); the client is held to a fixed share of it and the server to the rest.
 */
public final class Risks {
    public static final int KNOWN_PROTOCOL_ON_NON_STANDARD_PORT = 5;
    public static final int TLS_SELFSIGNED_CERTIFICATE = 6;
    public static final int TLS_OBSOLETE_VERSION = 7;
    public static final int TLS_WEAK_CIPHER = 8;
    public static final int TLS_CERTIFICATE_EXPIRED = 9;
    public static final int TLS_CERTIFICATE_MISMATCH = 10;
    public static final int NUMERIC_IP_HOST = 12;
    public static final int SUSPICIOUS_DGA_DOMAIN = 16;
    public static final int SSH_OBSOLETE_CLIENT = 18;
    public static final int SSH_OBSOLETE_SERVER = 19;
    public static final int TLS_MISSING_SNI = 24;
    public static final int CLEAR_TEXT_CREDENTIALS = 36;
    public static final int TLS_CERTIFICATE_ABOUT_TO_EXPIRE = 41;

    /** A certificate that expires within this many days is about to expire. */
    public static final long ABOUT_TO_EXPIRE_MS = 30L * 24 * 3600 * 1000;

    private static final int LOW = 10;
    private static final int MEDIUM = 50;
    private static final int HIGH = 100;

    /** Severity score and client share in percent, by risk id. */
    private static final Map<Integer, int[]> SCORES =
            Map.ofEntries(
                    Map.entry(KNOWN_PROTOCOL_ON_NON_STANDARD_PORT, new int[] {MEDIUM, 50}),
                    Map.entry(TLS_SELFSIGNED_CERTIFICATE, new int[] {HIGH, 90}),
                    Map.entry(TLS_OBSOLETE_VERSION, new int[] {HIGH, 90}),
                    Map.entry(TLS_WEAK_CIPHER, new int[] {HIGH, 90}),
                    Map.entry(TLS_CERTIFICATE_EXPIRED, new int[] {HIGH, 10}),
                    Map.entry(TLS_CERTIFICATE_MISMATCH, new int[] {HIGH, 50}),
                    Map.entry(NUMERIC_IP_HOST, new int[] {LOW, 50}),
                    Map.entry(SUSPICIOUS_DGA_DOMAIN, new int[] {HIGH, 90}),
                    Map.entry(SSH_OBSOLETE_CLIENT, new int[] {HIGH, 90}),
                    Map.entry(SSH_OBSOLETE_SERVER, new int[] {MEDIUM, 10}),
                    Map.entry(TLS_MISSING_SNI, new int[] {MEDIUM, 50}),
                    Map.entry(CLEAR_TEXT_CREDENTIALS, new int[] {HIGH, 90}),
                    Map.entry(TLS_CERTIFICATE_ABOUT_TO_EXPIRE, new int[] {MEDIUM, 10}));

    /** Registered ports of the protocols Flowtap dissects (IANA, and the protocols' own). */
    private static final Map<Integer, int[]> DEFAULT_PORTS =
            Map.ofEntries(
                    Map.entry(
                            Protocols.HTTP,
                            new int[] {80, 8080, 8000, 8008, 8081, 8088, 8888, 3128}),
                    Map.entry(Protocols.TLS, new int[] {443}),
                    Map.entry(Protocols.HTTPS, new int[] {443}),
                    Map.entry(Protocols.DOT, new int[] {443}),
                    Map.entry(Protocols.QUIC, new int[] {443}),
                    Map.entry(Protocols.SSH, new int[] {22}),
                    Map.entry(Protocols.DNS, new int[] {53}),
                    Map.entry(Protocols.NTP, new int[] {123}),
                    Map.entry(Protocols.STUN, new int[] {3478, 5349}),
                    Map.entry(Protocols.BITTORRENT, new int[] {6771, 51413, 53646}),
                    Map.entry(Protocols.OPENVPN, new int[] {1194}),
                    Map.entry(Protocols.WIREGUARD, new int[] {51820}));

    /** The risks this class evaluates. */
    public static Set<Integer> evaluated() {
        return SCORES.keySet();
    }

    /** Cipher suites with no, export-grade, RC4, DES or 3DES encryption, or no authentication. */
    private static final Set<Integer> WEAK_CIPHERS =
            Set.of(
                    0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0009, 0x000a,
                    0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0011, 0x0012, 0x0013, 0x0014,
                    0x0015, 0x0016, 0x0017, 0x0018, 0x0019, 0x001a, 0x001b, 0x002c, 0x002d, 0x002e,
                    0x0034, 0x003a, 0x0046, 0x006c, 0x006d, 0x0089, 0x009b, 0x00a6, 0x00a7, 0xc001,
                    0xc002, 0xc003, 0xc006, 0xc007, 0xc008, 0xc00b, 0xc00c, 0xc00d, 0xc010, 0xc011,
                    0xc012, 0xc015, 0xc016, 0xc017, 0xc018, 0xc019);

    private Risks() {}

    /**
     * Recomputes the flow's risks and scores.
     *
     * @param clientPort the initiator's port
     * @param serverPort the responder's port
     * @param nowMs the flow's time, for certificate validity
     */
    public static void evaluate(FlowMetadata m, int clientPort, int serverPort, long nowMs) {
        // Risk ids are below 64: a bit each, in ascending order as the records list them.
        long risks = 0;
        // DTLS (WebRTC media above all) is not expected to name a server.
        if (m.tlsJa4 != null && m.tlsJa4.charAt(0) != 'd' && m.tlsClientSni == null) {
            risks |= bit(TLS_MISSING_SNI);
        }
        if (m.tlsVersion != null && m.tlsCipherSuite != null && hex(m.tlsVersion) < 0x0303) {
            risks |= bit(TLS_OBSOLETE_VERSION);
        }
        if (m.tlsCipherSuite != null && WEAK_CIPHERS.contains(hex(m.tlsCipherSuite))) {
            risks |= bit(TLS_WEAK_CIPHER);
        }
        if (m.tlsFingerprint != null) {
            risks |= certificateRisks(m, nowMs);
        }
        // The host name a client asked for: HTTP's Host, TLS's or QUIC's SNI.
        String requested =
                m.tlsClientSni != null
                        ? m.tlsClientSni
                        : m.protocol == Protocols.HTTP ? m.hostServerName : null;
        if (requested != null && isIpLiteral(requested)) {
            risks |= bit(NUMERIC_IP_HOST);
        }
        if (m.sshClientObsoleteCipher != null
                || m.sshClient != null && m.sshClient.startsWith("SSH-1.")) {
            risks |= bit(SSH_OBSOLETE_CLIENT);
        }
        if (m.sshServerObsoleteCipher != null
                || m.sshServer != null && m.sshServer.startsWith("SSH-1.")) {
            risks |= bit(SSH_OBSOLETE_SERVER);
        }
        if (!m.detectionGuessed && nonStandardPort(m.protocol, clientPort, serverPort)) {
            risks |= bit(KNOWN_PROTOCOL_ON_NON_STANDARD_PORT);
        }
        if (m.clearTextCredentials) {
            risks |= bit(CLEAR_TEXT_CREDENTIALS);
        }
        if (requested != null && DgaHeuristic.looksGenerated(requested)) {
            risks |= bit(SUSPICIOUS_DGA_DOMAIN);
        }
        int[] ids = risks == 0 ? NONE : new int[Long.bitCount(risks)];
        int client = 0;
        int server = 0;
        int i = 0;
        for (long rest = risks; rest != 0; rest &= rest - 1) {
            int r = Long.numberOfTrailingZeros(rest);
            ids[i++] = r;
            int[] s = SCORES.get(r);
            int c = s[0] * s[1] / 100;
            client += c;
            server += s[0] - c;
        }
        m.risks = ids;
        m.riskScoreClient = client;
        m.riskScoreServer = server;
        m.riskScore = client + server;
    }

    private static final int[] NONE = {};

    private static long bit(int risk) {
        return 1L << risk;
    }

    private static long certificateRisks(FlowMetadata m, long nowMs) {
        long risks = 0;
        if (m.tlsSelfSigned) {
            risks |= bit(TLS_SELFSIGNED_CERTIFICATE);
        }
        if (m.tlsNotAfterMs != 0) {
            if (nowMs > m.tlsNotAfterMs || nowMs < m.tlsNotBeforeMs) {
                risks |= bit(TLS_CERTIFICATE_EXPIRED);
            } else if (m.tlsNotAfterMs - nowMs < ABOUT_TO_EXPIRE_MS) {
                risks |= bit(TLS_CERTIFICATE_ABOUT_TO_EXPIRE);
            }
        }
        if (m.tlsClientSni != null
                && m.tlsCertNames != null
                && !matchesAny(m.tlsClientSni, m.tlsCertNames)) {
            risks |= bit(TLS_CERTIFICATE_MISMATCH);
        }
        return risks;
    }

    private static int hex(String hex) {
        try {
            return Integer.parseInt(hex.substring(2), 16);
        } catch (RuntimeException e) {
            return 0x0303;
        }
    }

    /** RFC 6125 matching: exact, or one wildcard as the whole left-most label. */
    static boolean matchesAny(String sni, String[] names) {
        String host = sni.toLowerCase(Locale.ROOT);
        for (String n : names) {
            if (n.equals(host)) {
                return true;
            }
            if (n.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot).equals(n.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A bracketed IPv6 literal, or four dot-separated groups of one to three decimal digits. */
    static boolean isIpLiteral(String host) {
        if (host.startsWith("[")) {
            return true;
        }
        int groups = 0;
        int digits = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && groups < 3) {
                groups++;
                digits = 0;
            } else {
                return false;
            }
        }
        return groups == 3 && digits > 0;
    }

    /**
     * A protocol found by inspection where neither port is one of its registered ones. TLS counts
     * as TLS whatever it carries (DNS over TLS on 853 too, as nDPI does), except the protocols
     * Netify names after their implicit-TLS port.
     */
    private static boolean nonStandardPort(int protocol, int clientPort, int serverPort) {
        int[] ports = DEFAULT_PORTS.get(protocol);
        return ports != null && !in(clientPort, ports) && !in(serverPort, ports);
    }

    private static boolean in(int v, int[] values) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
