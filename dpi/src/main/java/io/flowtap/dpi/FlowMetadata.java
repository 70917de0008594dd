package io.flowtap.dpi;

/**
 * What DPI learnt about a flow: the fields of Netify's flow record that dissectors fill. A Flink
 * POJO kept with the flow for its whole life; unset strings are null.
 */
public class FlowMetadata {
    /** Netify protocol id; 0 (Unknown) until detected or guessed. */
    public int protocol;

    public int application;
    public String applicationTag;
    public int applicationCategory;
    public int protocolCategory;
    public int domainCategory;

    public String hostServerName;
    public String dnsHostName;

    public boolean detectionGuessed;
    public boolean detectionUpdated;
    public boolean dhcHit;
    public boolean softDissector;

    // TLS and QUIC.
    public String tlsVersion;
    public String tlsCipherSuite;
    public String tlsClientSni;
    public String[] tlsAlpn;
    public String[] tlsAlpnServer;
    public String tlsJa4;
    public String tlsJa3;
    public String tlsEchVersion;
    public String tlsServerCn;
    public String tlsIssuerDn;
    public String tlsSubjectDn;
    public String tlsFingerprint;
    public long tlsNotBeforeMs;
    public long tlsNotAfterMs;
    public boolean tlsSelfSigned;

    /** Names the server certificate is valid for (subject CN and alternative names). */
    public String[] tlsCertNames;

    // HTTP.
    public String httpUrl;
    public String httpUserAgent;

    /** The client sent a password in clear text (HTTP Basic authentication). */
    public boolean clearTextCredentials;

    // SSH.
    public String sshClient;
    public String sshServer;

    /** An obsolete cipher the SSH client, or server, offered in its KEXINIT; null if none. */
    public String sshClientObsoleteCipher;

    public String sshServerObsoleteCipher;

    // DHCP.
    public String dhcpFingerprint;
    public String dhcpClassIdent;

    public String mdnsAnswer;
    public String ssdpUserAgent;

    // STUN.
    public String stunMapped;
    public String stunOther;
    public String stunPeer;
    public String stunRelayed;
    public String stunResponse;

    public String btInfoHash;

    /** nDPI-compatible risk ids, ascending. */
    public int[] risks;

    public int riskScore;
    public int riskScoreClient;
    public int riskScoreServer;

    public FlowMetadata() {}

    public boolean hasTls() {
        return tlsVersion != null || tlsClientSni != null || tlsJa4 != null;
    }
}
