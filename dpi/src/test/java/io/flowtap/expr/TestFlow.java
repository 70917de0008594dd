package io.flowtap.expr;

/** A hand-built flow: every attribute set by the test. */
record TestFlow(
        int applicationId,
        String applicationTag,
        int applicationCategoryId,
        String applicationCategoryTag,
        int protocolId,
        String protocolName,
        int protocolCategoryId,
        String protocolCategoryTag,
        String detectedHostname,
        String dnsHostname,
        byte[] localIp,
        byte[] otherIp,
        byte[] localMac,
        byte[] otherMac,
        int localPort,
        int otherPort,
        int ipProtocol,
        String otherType,
        String origin,
        int vlanId,
        int tlsVersion,
        boolean ipNat,
        boolean detectionComplete)
        implements FlowAttributes {

    /** HTTPS from a LAN host (VLAN 10) to Google, TLS 1.2, inspection complete. */
    static final TestFlow WEB =
            new TestFlow(
                    10909,
                    "netify.google",
                    23,
                    "search-engine",
                    196,
                    "HTTP/S",
                    5,
                    "web",
                    "www.google.com",
                    "www.google.com",
                    bytes(192, 168, 1, 10),
                    bytes(142, 250, 80, 14),
                    bytes(0x02, 0x00, 0xc0, 0xa8, 0x01, 0x0a),
                    bytes(0x02, 0x00, 0x5e, 0x00, 0x00, 0x01),
                    51515,
                    443,
                    6,
                    "remote",
                    "local",
                    10,
                    0x0303,
                    false,
                    true);

    /** DNS over IPv6 to the local resolver, behind NAT, inspection not complete. */
    static final TestFlow DNS =
            new TestFlow(
                    0,
                    "",
                    0,
                    "",
                    5,
                    "DNS",
                    0,
                    "",
                    "example.org",
                    "",
                    bytes(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10),
                    bytes(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01),
                    bytes(0x02, 0, 0, 0, 0, 0x10),
                    bytes(0x02, 0, 0, 0, 0, 0x01),
                    40000,
                    53,
                    17,
                    "local",
                    "other",
                    0,
                    0,
                    true,
                    false);

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
