package io.flowtap.capture.flow;

import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.dpi.Digests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Canonical flow identity and the flow digest.
 *
 * <p>Endpoints are ordered so that both directions of a conversation give the same key: the "lower"
 * endpoint has the smaller address in unsigned byte order, or, when both addresses are equal, the
 * smaller port. The digest is SHA-1 over, in this order:
 *
 * <ol>
 *   <li>the interface name, UTF-8;
 *   <li>ip_version, 1 byte; ip_protocol, 1 byte;
 *   <li>vlan_id, 2 bytes little-endian (the in-memory layout Netify's agent hashes on little-endian
 *       hosts);
 *   <li>lower address then upper address, 4 or 16 bytes each in network order;
 *   <li>for IPv4 0.0.0.0 to 255.255.255.255 only: the lower endpoint's MAC, 6 bytes (zeros when the
 *       link has none), so that DHCP discovers of different clients stay apart;
 *   <li>lower port then upper port, 2 bytes each in network order.
 * </ol>
 *
 * <p>docs/semantics.md states the same recipe with a worked example.
 */
public final class FlowKeys {
    private static final ThreadLocal<MessageDigest> SHA1 = Digests.perThread("SHA-1");

    private static final byte[] ZERO_MAC = new byte[6];

    /**
     * The UTF-8 bytes of the interface name digested last: a reader or agent digests every flow of
     * one interface with the same name. Immutable, replaced whole, so threads may share it.
     */
    private static NameBytes lastInterface = new NameBytes("", new byte[0]);

    private record NameBytes(String name, byte[] utf8) {}

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private FlowKeys() {}

    /** True when the packet's source is the lower endpoint of its flow. */
    public static boolean sourceIsLower(DecodedPacket p) {
        int c = compareUnsigned(p.srcAddr, p.dstAddr, p.addrLength);
        if (c != 0) {
            return c < 0;
        }
        return p.srcPort <= p.dstPort;
    }

    public static int compareUnsigned(byte[] a, byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            int x = a[i] & 0xff;
            int y = b[i] & 0xff;
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        return 0;
    }

    /**
     * Computes the base flow digest.
     *
     * @param lowerMac MAC of the lower endpoint, or null when the link has none
     */
    public static byte[] digest(
            String interfaceName,
            int ipVersion,
            int ipProtocol,
            int vlanId,
            byte[] lowerAddr,
            byte[] upperAddr,
            int addrLength,
            byte[] lowerMac,
            int lowerPort,
            int upperPort) {
        MessageDigest md =
                identity(
                        interfaceName,
                        ipVersion,
                        ipProtocol,
                        vlanId,
                        lowerAddr,
                        upperAddr,
                        addrLength,
                        lowerMac,
                        lowerPort,
                        upperPort);
        return md.digest();
    }

    /**
     * The digest of a flow once DPI has results: the identity bytes of {@link #digest}, then the
     * detected protocol id (2 bytes little-endian), the application id (4 bytes little-endian), the
     * hostname (UTF-8, when there is one) and the BitTorrent info-hash (20 bytes, when there is
     * one).
     */
    public static byte[] metadataDigest(
            String interfaceName,
            int ipVersion,
            int ipProtocol,
            int vlanId,
            byte[] lowerAddr,
            byte[] upperAddr,
            int addrLength,
            byte[] lowerMac,
            int lowerPort,
            int upperPort,
            int protocol,
            int application,
            String hostname,
            byte[] infoHash) {
        MessageDigest md =
                identity(
                        interfaceName,
                        ipVersion,
                        ipProtocol,
                        vlanId,
                        lowerAddr,
                        upperAddr,
                        addrLength,
                        lowerMac,
                        lowerPort,
                        upperPort);
        md.update((byte) protocol);
        md.update((byte) (protocol >>> 8));
        for (int i = 0; i < 4; i++) {
            md.update((byte) (application >>> (8 * i)));
        }
        if (hostname != null && !hostname.isEmpty()) {
            md.update(hostname.getBytes(StandardCharsets.UTF_8));
        }
        if (infoHash != null) {
            md.update(infoHash);
        }
        return md.digest();
    }

    private static MessageDigest identity(
            String interfaceName,
            int ipVersion,
            int ipProtocol,
            int vlanId,
            byte[] lowerAddr,
            byte[] upperAddr,
            int addrLength,
            byte[] lowerMac,
            int lowerPort,
            int upperPort) {
        MessageDigest md = SHA1.get();
        md.reset();
        NameBytes name = lastInterface;
        if (!name.name.equals(interfaceName)) {
            name = new NameBytes(interfaceName, interfaceName.getBytes(StandardCharsets.UTF_8));
            lastInterface = name;
        }
        md.update(name.utf8);
        md.update((byte) ipVersion);
        md.update((byte) ipProtocol);
        md.update((byte) vlanId);
        md.update((byte) (vlanId >>> 8));
        md.update(lowerAddr, 0, addrLength);
        md.update(upperAddr, 0, addrLength);
        if (ipVersion == 4 && isZero(lowerAddr, 4) && isAllOnes(upperAddr, 4)) {
            md.update(lowerMac != null ? lowerMac : ZERO_MAC, 0, 6);
        }
        md.update((byte) (lowerPort >>> 8));
        md.update((byte) lowerPort);
        md.update((byte) (upperPort >>> 8));
        md.update((byte) upperPort);
        return md;
    }

    private static boolean isZero(byte[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllOnes(byte[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (a[i] != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    public static String hex(byte[] bytes) {
        // ASCII bytes, not chars: the string keeps Latin-1 bytes, so this is half the copy.
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
