package io.flowtap.capture;

/**
 * Hand-written frames used across the tests. Each field is spelled out so that the expected values
 * in the tests can be read off the bytes.
 */
public final class Packets {
    private Packets() {}

    /** Ethernet: dst 00:11:22:33:44:55, src 66:77:88:99:aa:bb. */
    public static final String ETH_IPV4 = "001122334455 66778899aabb 0800";

    public static final String ETH_IPV6 = "001122334455 66778899aabb 86dd";

    /**
     * IPv4 header, 20 bytes: DSCP 46 (0xb8), total length 40, id 0x1234, DF, TTL 64, TCP, src
     * 192.168.1.10, dst 93.184.216.34.
     */
    public static final String IPV4_TCP_40 = "45 b8 0028 1234 4000 40 06 0000 c0a8010a 5db8d822";

    /** TCP SYN 51000 -> 443, seq 0x01020304, ack 0, data offset 5, window 0xffff. */
    public static final String TCP_SYN = "c738 01bb 01020304 00000000 50 02 ffff 0000 0000";

    /** IPv4 header with UDP, total length 33 (8 UDP + 5 payload), 10.0.0.1 -> 10.0.0.2. */
    public static final String IPV4_UDP_33 = "45 00 0021 0001 0000 40 11 0000 0a000001 0a000002";

    /** UDP 5353 -> 53, length 13, then payload "hello". */
    public static final String UDP_HELLO = "14e9 0035 000d 0000 68656c6c6f";

    public static byte[] ethIpv4TcpSyn() {
        return Hex.bytes(ETH_IPV4 + IPV4_TCP_40 + TCP_SYN);
    }

    public static byte[] ethIpv4UdpHello() {
        return Hex.bytes(ETH_IPV4 + IPV4_UDP_33 + UDP_HELLO);
    }
}
