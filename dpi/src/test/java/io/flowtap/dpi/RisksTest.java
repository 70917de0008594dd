package io.flowtap.dpi;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Risk rules. Ids, severities and the client's share come from nDPI's risk table; the totals
 * asserted are the "Risk Score" ndpiReader prints for flows with the same risks in nDPI's
 * regression captures (tor.pcap: obsolete TLS and certificate about to expire, 150; ssh.pcap:
 * obsolete client and server ciphers, 150; dns_dot.pcap: non-standard port and missing SNI with its
 * low "not carrying HTTPS" risk, 110 - 10).
 */
class RisksTest {
    private static final long NOW = Instant.parse("2013-11-01T12:00:00Z").toEpochMilli();

    private static FlowMetadata tls(String sni, String version, String cipher) {
        FlowMetadata m = new FlowMetadata();
        m.protocol = Protocols.HTTPS;
        m.tlsJa4 = "t12d1612h1_94fc43e2fc61_c9eaec7dbab4";
        m.tlsClientSni = sni;
        m.hostServerName = sni;
        m.tlsVersion = version;
        m.tlsCipherSuite = cipher;
        return m;
    }

    private static void certificate(FlowMetadata m, String notBefore, String notAfter) {
        m.tlsFingerprint = "94f9ffe27fdb1fb81965206ff6deb6a5d5af14c7";
        m.tlsNotBeforeMs = Instant.parse(notBefore).toEpochMilli();
        m.tlsNotAfterMs = Instant.parse(notAfter).toEpochMilli();
    }

    @Test
    void modernHandshakeHasNoRisk() {
        FlowMetadata m = tls("www.example.com", "0x0304", "0x1301");
        certificate(m, "2013-01-01T00:00:00Z", "2014-01-01T00:00:00Z");
        m.tlsCertNames = new String[] {"example.com", "*.example.com"};
        Risks.evaluate(m, 51000, 443, NOW);
        assertThat(m.risks).isEmpty();
        assertThat(m.riskScore).isZero();
    }

    @Test
    void obsoleteVersionAndCertificateAboutToExpire() {
        // tor.pcap: TLSv1 with a certificate valid 03/Oct/2013 - 18/Nov/2013.
        FlowMetadata m = tls("www.ct7ctrgb6cr7.com", "0x0301", "0xc014");
        certificate(m, "2013-10-03T00:00:00Z", "2013-11-18T23:59:59Z");
        Risks.evaluate(m, 51110, 443, NOW);
        assertThat(m.risks)
                .containsExactly(Risks.TLS_OBSOLETE_VERSION, Risks.TLS_CERTIFICATE_ABOUT_TO_EXPIRE);
        assertThat(m.riskScore).isEqualTo(150);
        // High obsolete version, 90% client; medium about-to-expire, 10% client.
        assertThat(m.riskScoreClient).isEqualTo(90 + 5);
        assertThat(m.riskScoreServer).isEqualTo(10 + 45);
    }

    @Test
    void expiredOrNotYetValidCertificate() {
        FlowMetadata expired = tls("a.example.com", "0x0303", "0xc02f");
        certificate(expired, "2012-01-01T00:00:00Z", "2013-01-01T00:00:00Z");
        Risks.evaluate(expired, 51000, 443, NOW);
        assertThat(expired.risks).containsExactly(Risks.TLS_CERTIFICATE_EXPIRED);

        FlowMetadata early = tls("a.example.com", "0x0303", "0xc02f");
        certificate(early, "2014-01-01T00:00:00Z", "2015-01-01T00:00:00Z");
        Risks.evaluate(early, 51000, 443, NOW);
        assertThat(early.risks).containsExactly(Risks.TLS_CERTIFICATE_EXPIRED);
    }

    @Test
    void certificateNamesFollowRfc6125Wildcards() {
        String[] names = {"shop.ntop.org", "*.example.org"};
        assertThat(Risks.matchesAny("shop.ntop.org", names)).isTrue();
        assertThat(Risks.matchesAny("SHOP.ntop.org", names)).isTrue();
        assertThat(Risks.matchesAny("www.example.org", names)).isTrue();
        // RFC 6125 6.4.3: the wildcard stands for exactly one left-most label.
        assertThat(Risks.matchesAny("example.org", names)).isFalse();
        assertThat(Risks.matchesAny("a.b.example.org", names)).isFalse();
        assertThat(Risks.matchesAny("www.ntop.org", names)).isFalse();
    }

    @Test
    void certificateMismatchNeedsSubjectAltNames() {
        // http_ipv6.pcap: www.ntop.org against a certificate for shop.ntop.org, www.shop.ntop.org.
        FlowMetadata m = tls("www.ntop.org", "0x0303", "0xc02f");
        certificate(m, "2013-01-01T00:00:00Z", "2014-01-01T00:00:00Z");
        m.tlsCertNames = new String[] {"shop.ntop.org", "www.shop.ntop.org"};
        Risks.evaluate(m, 37506, 443, NOW);
        assertThat(m.risks).containsExactly(Risks.TLS_CERTIFICATE_MISMATCH);
        assertThat(m.riskScore).isEqualTo(100);

        m.tlsCertNames = null;
        Risks.evaluate(m, 37506, 443, NOW);
        assertThat(m.risks).isEmpty();
    }

    @Test
    void selfSignedAndWeakCipher() {
        // 0x0005 is TLS_RSA_WITH_RC4_128_SHA (IANA TLS cipher suite registry).
        FlowMetadata m = tls("a.example.com", "0x0303", "0x0005");
        certificate(m, "2013-01-01T00:00:00Z", "2014-01-01T00:00:00Z");
        m.tlsSelfSigned = true;
        Risks.evaluate(m, 51000, 443, NOW);
        assertThat(m.risks)
                .containsExactly(Risks.TLS_SELFSIGNED_CERTIFICATE, Risks.TLS_WEAK_CIPHER);
        assertThat(m.riskScore).isEqualTo(200);
    }

    @Test
    void tlsWithoutSniOnAnotherPort() {
        // dns_dot.pcap: DNS over TLS to 8.8.8.8:853 without SNI.
        FlowMetadata m = tls(null, "0x0303", "0xc02f");
        m.protocol = Protocols.DOT;
        Risks.evaluate(m, 58290, 853, NOW);
        assertThat(m.risks)
                .containsExactly(Risks.KNOWN_PROTOCOL_ON_NON_STANDARD_PORT, Risks.TLS_MISSING_SNI);
        assertThat(m.riskScore).isEqualTo(100);
    }

    @Test
    void portRiskNeedsInspectionAndAnUnregisteredPairOfPorts() {
        FlowMetadata http = new FlowMetadata();
        http.protocol = Protocols.HTTP;
        http.hostServerName = "www.example.com";
        Risks.evaluate(http, 39236, 31337, NOW);
        assertThat(http.risks).containsExactly(Risks.KNOWN_PROTOCOL_ON_NON_STANDARD_PORT);

        // NTP answered from port 123 to a client's port 80: one registered port is enough.
        FlowMetadata ntp = new FlowMetadata();
        ntp.protocol = Protocols.NTP;
        Risks.evaluate(ntp, 123, 80, NOW);
        assertThat(ntp.risks).isEmpty();

        FlowMetadata guessed = new FlowMetadata();
        guessed.protocol = Protocols.SSH;
        guessed.detectionGuessed = true;
        Risks.evaluate(guessed, 40000, 2222, NOW);
        assertThat(guessed.risks).isEmpty();
    }

    @Test
    void numericHostOnlyWhereTheClientNamedAHost() {
        FlowMetadata http = new FlowMetadata();
        http.protocol = Protocols.HTTP;
        http.hostServerName = "192.168.1.1";
        Risks.evaluate(http, 40000, 80, NOW);
        assertThat(http.risks).containsExactly(Risks.NUMERIC_IP_HOST);

        FlowMetadata sni = tls("[2001:db8::1]", "0x0304", "0x1301");
        Risks.evaluate(sni, 40000, 443, NOW);
        assertThat(sni.risks).containsExactly(Risks.NUMERIC_IP_HOST);

        // SSDP's HOST header names the multicast group, which is no request for a host.
        FlowMetadata ssdp = new FlowMetadata();
        ssdp.protocol = Protocols.SSDP;
        ssdp.hostServerName = "239.255.255.250";
        Risks.evaluate(ssdp, 1900, 1900, NOW);
        assertThat(ssdp.risks).isEmpty();
    }

    @Test
    void sshObsoleteCiphersOrProtocolOne() {
        // ssh.pcap: OpenSSH 5.3 and 5.6 both offering arcfour128.
        FlowMetadata m = new FlowMetadata();
        m.protocol = Protocols.SSH;
        m.sshClient = "SSH-2.0-OpenSSH_5.3";
        m.sshServer = "SSH-2.0-OpenSSH_5.6";
        m.sshClientObsoleteCipher = "arcfour128";
        m.sshServerObsoleteCipher = "arcfour128";
        Risks.evaluate(m, 58395, 22, NOW);
        assertThat(m.risks).containsExactly(Risks.SSH_OBSOLETE_CLIENT, Risks.SSH_OBSOLETE_SERVER);
        assertThat(m.riskScore).isEqualTo(150);

        FlowMetadata v1 = new FlowMetadata();
        v1.protocol = Protocols.SSH;
        v1.sshClient = "SSH-1.5-OpenSSH_2.1";
        Risks.evaluate(v1, 40000, 22, NOW);
        assertThat(v1.risks).containsExactly(Risks.SSH_OBSOLETE_CLIENT);
    }

    @Test
    void generatedLookingNames() {
        // Names from tor.pcap that nDPI also flags, and everyday names it does not.
        assertThat(DgaHeuristic.looksGenerated("www.q4cyamnc6mtokjurvdclt.com")).isTrue();
        assertThat(DgaHeuristic.looksGenerated("www.e6r5p57kbafwrxj3plz.com")).isTrue();
        for (String name :
                new String[] {
                    "www.google.com",
                    "clients4.google.com",
                    "d3ag4hukkh62yn.cloudfront.net",
                    "www.stackoverflow.com",
                    "1.0.168.192.in-addr.arpa",
                    "printer-4f2a.local",
                    "www.internationalbusiness.com"
                }) {
            assertThat(DgaHeuristic.looksGenerated(name)).as(name).isFalse();
        }
    }

    /**
     * The label scored is the one before the last, trailing dots aside (as in a fully qualified
     * name).
     */
    @Test
    void generatedLabelIsTheOneBeforeTheTopLevelDomain() {
        String generated = "q4cyamnc6mtokjurvdclt";
        assertThat(DgaHeuristic.looksGenerated(generated + ".com")).isTrue();
        assertThat(DgaHeuristic.looksGenerated(generated + ".com.")).isTrue();
        assertThat(DgaHeuristic.looksGenerated("a.b." + generated + ".com..")).isTrue();
        // One label only, the generated one as the top-level domain, or an empty label before it.
        assertThat(DgaHeuristic.looksGenerated(generated)).isFalse();
        assertThat(DgaHeuristic.looksGenerated(generated + ".")).isFalse();
        assertThat(DgaHeuristic.looksGenerated("www." + generated)).isFalse();
        assertThat(DgaHeuristic.looksGenerated(generated + "..com")).isFalse();
        for (String degenerate : new String[] {"", ".", "...", ".com", "..com."}) {
            assertThat(DgaHeuristic.looksGenerated(degenerate)).as(degenerate).isFalse();
        }
    }

    /** The literal check against the regular expression it stands for, on every short string. */
    @Test
    void ipLiteralIsTheDottedQuadPattern() {
        java.util.regex.Pattern quad =
                java.util.regex.Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        assertThat(Risks.isIpLiteral("192.0.2.1")).isTrue();
        assertThat(Risks.isIpLiteral("[2001:db8::1]")).isTrue();
        assertThat(Risks.isIpLiteral("999.1.1.1")).isTrue(); // the pattern's digits, not a range
        assertThat(Risks.isIpLiteral("1.2.3")).isFalse();
        assertThat(Risks.isIpLiteral("1.2.3.4.")).isFalse();
        assertThat(Risks.isIpLiteral("www.example.com")).isFalse();
        java.util.Random r = new java.util.Random(7);
        char[] alphabet = {'0', '1', '9', '.', '.', 'a', '['};
        for (int i = 0; i < 200_000; i++) {
            char[] c = new char[r.nextInt(18)];
            for (int k = 0; k < c.length; k++) {
                c[k] = alphabet[r.nextInt(alphabet.length)];
            }
            String s = new String(c);
            boolean expected = s.startsWith("[") || quad.matcher(s).matches();
            assertThat(Risks.isIpLiteral(s)).as(s).isEqualTo(expected);
        }
    }
}
