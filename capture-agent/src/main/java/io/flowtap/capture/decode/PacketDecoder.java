package io.flowtap.capture.decode;

import io.flowtap.capture.file.Frame;

/**
 * Decodes link, network and transport headers of a frame in place: Ethernet, Linux cooked (SLL,
 * SLL2), raw IP, BSD loopback/NULL and PPP links; 802.1Q/802.1ad tags, MPLS label stacks and PPPoE
 * sessions; IPv4 with options and fragments, IPv6 with extension headers and fragments; TCP, UDP,
 * SCTP and UDP-Lite ports. Every read is bounds-checked against the captured bytes; a frame whose
 * headers do not fit or contradict themselves is counted and reported, never thrown.
 *
 * <p>Not thread-safe: one decoder per reading thread.
 */
public final class PacketDecoder {
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD1 = 0x9100;
    private static final int ETHERTYPE_QINQ_OLD2 = 0x9200;
    private static final int ETHERTYPE_MPLS_UC = 0x8847;
    private static final int ETHERTYPE_MPLS_MC = 0x8848;
    private static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    private static final int PPP_IPV4 = 0x0021;
    private static final int PPP_IPV6 = 0x0057;
    private static final int ETHERNET_HEADER = 14;
    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    private static final int MAX_ENCAPSULATIONS = 16;
    private static final int MAX_IPV6_EXTENSIONS = 16;

    /** Not an ethertype: selects IP decoding by the version nibble. */
    private static final int BY_VERSION = -1;

    private final DecoderCounters counters = new DecoderCounters();
    private final FragmentTable fragments = new FragmentTable();

    public DecoderCounters counters() {
        return counters;
    }

    public DecodeResult decode(Frame frame, DecodedPacket out) {
        out.reset();
        out.timestampNanos = frame.timestampNanos;
        out.wireLength = frame.originalLength;
        counters.raw++;
        counters.wireBytes += frame.originalLength;
        counters.largestBytes = Math.max(counters.largestBytes, frame.originalLength);
        DecodeResult r = decodeLink(frame, out);
        switch (r) {
            case OK:
                counted(out);
                break;
            case NOT_IP:
                counters.notIp++;
                break;
            case TRUNCATED:
                counters.truncated++;
                discard(frame);
                break;
            case MALFORMED:
                counters.malformed++;
                discard(frame);
                break;
            case UNSUPPORTED_LINK:
                counters.unsupportedLink++;
                discard(frame);
                break;
            default:
                throw new AssertionError(r);
        }
        return r;
    }

    private void discard(Frame frame) {
        counters.discarded++;
        counters.discardedBytes += frame.originalLength;
    }

    private void counted(DecodedPacket out) {
        counters.ip++;
        counters.ipBytes += out.wireLength;
        if (out.ipVersion == 4) {
            counters.ip4++;
            counters.ip4Bytes += out.wireLength;
        } else {
            counters.ip6++;
            counters.ip6Bytes += out.wireLength;
        }
        switch (out.ipProtocol) {
            case DecodedPacket.TCP:
                counters.tcp++;
                break;
            case DecodedPacket.UDP:
                counters.udp++;
                break;
            case DecodedPacket.ICMP:
            case DecodedPacket.ICMPV6:
                counters.icmp++;
                break;
            case DecodedPacket.IGMP:
                counters.igmp++;
                break;
            default:
                break;
        }
        if (out.vlanTags > 0) {
            counters.vlan++;
        }
        if (out.mplsLabels > 0) {
            counters.mpls++;
        }
        if (out.pppoe) {
            counters.pppoe++;
        }
        if (out.fragment) {
            counters.fragmented++;
        }
    }

    private DecodeResult decodeLink(Frame frame, DecodedPacket out) {
        byte[] b = frame.data;
        int p = frame.offset;
        int end = frame.offset + frame.capturedLength;
        int type;
        switch (frame.linkType) {
            case LinkType.ETHERNET:
                if (end - p < ETHERNET_HEADER) {
                    return DecodeResult.TRUNCATED;
                }
                counters.ethernet++;
                System.arraycopy(b, p, out.dstMac, 0, 6);
                System.arraycopy(b, p + 6, out.srcMac, 0, 6);
                out.hasMacs = true;
                type = u16(b, p + 12);
                p += ETHERNET_HEADER;
                break;
            case LinkType.LINUX_SLL:
                if (end - p < SLL_HEADER) {
                    return DecodeResult.TRUNCATED;
                }
                type = u16(b, p + 14);
                p += SLL_HEADER;
                break;
            case LinkType.LINUX_SLL2:
                if (end - p < SLL2_HEADER) {
                    return DecodeResult.TRUNCATED;
                }
                type = u16(b, p);
                p += SLL2_HEADER;
                break;
            case LinkType.NULL:
            case LinkType.LOOP:
                {
                    if (end - p < 4) {
                        return DecodeResult.TRUNCATED;
                    }
                    // NULL stores the address family in the capturing host's byte order.
                    long family = u32(b, p);
                    if (frame.linkType == LinkType.NULL && family > 0xffff) {
                        family = Long.reverseBytes(family) >>> 32;
                    }
                    p += 4;
                    if (family == 2) {
                        type = ETHERTYPE_IPV4;
                    } else if (family == 24 || family == 28 || family == 30) {
                        type = ETHERTYPE_IPV6;
                    } else {
                        return DecodeResult.NOT_IP;
                    }
                    break;
                }
            case LinkType.RAW:
            case LinkType.RAW_OPENBSD:
            case LinkType.RAW_BSDOS:
            case LinkType.IPV4:
            case LinkType.IPV6:
                type = BY_VERSION;
                break;
            case LinkType.PPP:
            case LinkType.PPP_HDLC:
                {
                    if (end - p >= 2 && (b[p] & 0xff) == 0xff && (b[p + 1] & 0xff) == 0x03) {
                        p += 2;
                    }
                    if (end - p < 1) {
                        return DecodeResult.TRUNCATED;
                    }
                    int proto;
                    if ((b[p] & 1) == 1) {
                        proto = b[p] & 0xff;
                        p += 1;
                    } else {
                        if (end - p < 2) {
                            return DecodeResult.TRUNCATED;
                        }
                        proto = u16(b, p);
                        p += 2;
                    }
                    type = pppToEthertype(proto);
                    if (type == 0) {
                        return DecodeResult.NOT_IP;
                    }
                    break;
                }
            default:
                return DecodeResult.UNSUPPORTED_LINK;
        }

        for (int depth = 0; ; depth++) {
            if (depth > MAX_ENCAPSULATIONS) {
                return DecodeResult.MALFORMED;
            }
            switch (type) {
                case ETHERTYPE_VLAN:
                case ETHERTYPE_QINQ:
                case ETHERTYPE_QINQ_OLD1:
                case ETHERTYPE_QINQ_OLD2:
                    if (end - p < 4) {
                        return DecodeResult.TRUNCATED;
                    }
                    // The innermost tag wins: it is the one the flow's VLAN is.
                    out.vlanId = u16(b, p) & 0x0fff;
                    out.vlanTags++;
                    type = u16(b, p + 2);
                    p += 4;
                    continue;
                case ETHERTYPE_MPLS_UC:
                case ETHERTYPE_MPLS_MC:
                    {
                        boolean bottom = false;
                        while (!bottom) {
                            if (end - p < 4) {
                                return DecodeResult.TRUNCATED;
                            }
                            bottom = (b[p + 2] & 0x01) != 0;
                            out.mplsLabels++;
                            p += 4;
                            if (out.mplsLabels > MAX_ENCAPSULATIONS) {
                                return DecodeResult.MALFORMED;
                            }
                        }
                        // MPLS does not name its payload: IP is recognised by its version.
                        if (end - p < 1) {
                            return DecodeResult.TRUNCATED;
                        }
                        int version = (b[p] & 0xf0) >> 4;
                        if (version != 4 && version != 6) {
                            return DecodeResult.NOT_IP;
                        }
                        type = BY_VERSION;
                        continue;
                    }
                case ETHERTYPE_PPPOE_SESSION:
                    {
                        if (end - p < 8) {
                            return DecodeResult.TRUNCATED;
                        }
                        out.pppoe = true;
                        type = pppToEthertype(u16(b, p + 6));
                        p += 8;
                        if (type == 0) {
                            return DecodeResult.NOT_IP;
                        }
                        continue;
                    }
                case ETHERTYPE_IPV4:
                case ETHERTYPE_IPV6:
                case BY_VERSION:
                    break;
                default:
                    return DecodeResult.NOT_IP;
            }
            break;
        }

        int wireEnd = frame.offset + frame.originalLength;
        if (end - p < 1) {
            return DecodeResult.TRUNCATED;
        }
        int version = (b[p] & 0xf0) >> 4;
        if (type == ETHERTYPE_IPV4 && version != 4 || type == ETHERTYPE_IPV6 && version != 6) {
            return DecodeResult.MALFORMED;
        }
        if (version == 4) {
            return decodeIpv4(b, p, end, wireEnd, out);
        } else if (version == 6) {
            return decodeIpv6(b, p, end, wireEnd, out);
        }
        return DecodeResult.MALFORMED;
    }

    private static int pppToEthertype(int pppProtocol) {
        if (pppProtocol == PPP_IPV4) {
            return ETHERTYPE_IPV4;
        }
        if (pppProtocol == PPP_IPV6) {
            return ETHERTYPE_IPV6;
        }
        return 0;
    }

    private DecodeResult decodeIpv4(byte[] b, int p, int end, int wireEnd, DecodedPacket out) {
        if (end - p < 20) {
            return DecodeResult.TRUNCATED;
        }
        int ihl = (b[p] & 0x0f) * 4;
        if (ihl < 20) {
            return DecodeResult.MALFORMED;
        }
        if (end - p < ihl) {
            return DecodeResult.TRUNCATED;
        }
        int totalLength = u16(b, p + 2);
        if (totalLength == 0) {
            // Captured before segmentation offload: the stack left the length unset.
            totalLength = wireEnd - p;
        }
        if (totalLength < ihl || totalLength > wireEnd - p) {
            return DecodeResult.MALFORMED;
        }
        out.ipVersion = 4;
        out.addrLength = 4;
        out.dscp = (b[p + 1] & 0xff) >> 2;
        out.ipLength = totalLength;
        out.ipProtocol = b[p + 9] & 0xff;
        System.arraycopy(b, p + 12, out.srcAddr, 0, 4);
        System.arraycopy(b, p + 16, out.dstAddr, 0, 4);
        int flagsOffset = u16(b, p + 6);
        boolean moreFragments = (flagsOffset & 0x2000) != 0;
        int fragmentOffset = flagsOffset & 0x1fff;
        if (moreFragments || fragmentOffset != 0) {
            out.fragment = true;
            out.firstFragment = fragmentOffset == 0;
            out.fragmentId = u16(b, p + 4);
        }
        return decodeTransport(b, p + ihl, p + totalLength, end, out);
    }

    private DecodeResult decodeIpv6(byte[] b, int p, int end, int wireEnd, DecodedPacket out) {
        if (end - p < 40) {
            return DecodeResult.TRUNCATED;
        }
        int payloadLength = u16(b, p + 4);
        int next = b[p + 6] & 0xff;
        int datagramLength = 40 + payloadLength;
        if (payloadLength == 0 && next == 0) {
            // Jumbogram: the real length is in a hop-by-hop option; use the frame's.
            datagramLength = wireEnd - p;
        }
        if (datagramLength > wireEnd - p) {
            return DecodeResult.MALFORMED;
        }
        out.ipVersion = 6;
        out.addrLength = 16;
        int trafficClass = ((b[p] & 0x0f) << 4) | ((b[p + 1] & 0xf0) >> 4);
        out.dscp = trafficClass >> 2;
        out.ipLength = datagramLength;
        System.arraycopy(b, p + 8, out.srcAddr, 0, 16);
        System.arraycopy(b, p + 24, out.dstAddr, 0, 16);
        int limit = p + datagramLength;
        int q = p + 40;
        for (int i = 0; ; i++) {
            if (i > MAX_IPV6_EXTENSIONS) {
                return DecodeResult.MALFORMED;
            }
            int length;
            switch (next) {
                case 0: // hop-by-hop options
                case 43: // routing
                case 60: // destination options
                case 135: // mobility
                case 139: // HIP
                case 140: // shim6
                    if (end - q < 2) {
                        return DecodeResult.TRUNCATED;
                    }
                    length = ((b[q + 1] & 0xff) + 1) * 8;
                    break;
                case 51: // authentication header
                    if (end - q < 2) {
                        return DecodeResult.TRUNCATED;
                    }
                    length = ((b[q + 1] & 0xff) + 2) * 4;
                    break;
                case 44: // fragment
                    {
                        if (end - q < 8) {
                            return DecodeResult.TRUNCATED;
                        }
                        int offsetField = u16(b, q + 2);
                        out.fragment = true;
                        out.firstFragment = (offsetField >> 3) == 0;
                        out.fragmentId = u32(b, q + 4);
                        length = 8;
                        break;
                    }
                default:
                    out.ipProtocol = next;
                    return decodeTransport(b, q, limit, end, out);
            }
            if (limit - q < length) {
                return DecodeResult.MALFORMED;
            }
            next = b[q] & 0xff;
            q += length;
            if (out.fragment && !out.firstFragment) {
                // The transport header travels in the first fragment only.
                out.ipProtocol = next;
                return laterFragment(q, limit, out);
            }
        }
    }

    /**
     * @param q start of the transport header
     * @param limit end of the datagram per the IP header
     * @param end end of the captured bytes
     */
    private DecodeResult decodeTransport(byte[] b, int q, int limit, int end, DecodedPacket out) {
        if (out.fragment && !out.firstFragment) {
            return laterFragment(q, limit, out);
        }
        int l4Length = limit - q;
        int captured = Math.min(end, limit) - q;
        if (out.fragment && out.hasPorts() && l4Length < minimumHeader(out.ipProtocol)) {
            return tinyFirstFragment(b, q, l4Length, captured, out);
        }
        switch (out.ipProtocol) {
            case DecodedPacket.TCP:
                {
                    if (l4Length < 20) {
                        return DecodeResult.MALFORMED;
                    }
                    if (captured < 20) {
                        return DecodeResult.TRUNCATED;
                    }
                    int headerLength = ((b[q + 12] & 0xf0) >> 4) * 4;
                    if (headerLength < 20 || headerLength > l4Length) {
                        return DecodeResult.MALFORMED;
                    }
                    out.srcPort = u16(b, q);
                    out.dstPort = u16(b, q + 2);
                    out.tcpSeq = (int) u32(b, q + 4);
                    out.tcpAck = (int) u32(b, q + 8);
                    out.tcpFlags = b[q + 13] & 0xff;
                    countReset(out.tcpFlags);
                    setPayload(
                            q + headerLength, l4Length - headerLength, Math.min(end, limit), out);
                    break;
                }
            case DecodedPacket.UDP:
                if (l4Length < 8) {
                    return DecodeResult.MALFORMED;
                }
                if (captured < 8) {
                    return DecodeResult.TRUNCATED;
                }
                out.srcPort = u16(b, q);
                out.dstPort = u16(b, q + 2);
                setPayload(q + 8, l4Length - 8, Math.min(end, limit), out);
                break;
            case 132: // SCTP
            case 136: // UDP-Lite
                if (l4Length < 8) {
                    return DecodeResult.MALFORMED;
                }
                if (captured < 4) {
                    return DecodeResult.TRUNCATED;
                }
                out.srcPort = u16(b, q);
                out.dstPort = u16(b, q + 2);
                setPayload(q + 8, l4Length - 8, Math.min(end, limit), out);
                break;
            default:
                setPayload(q, l4Length, Math.min(end, limit), out);
                break;
        }
        if (out.fragment && out.hasPorts()) {
            fragments.remember(out);
        }
        return DecodeResult.OK;
    }

    private void countReset(int tcpFlags) {
        if ((tcpFlags & 0x04) != 0) {
            counters.tcpResets++;
        }
    }

    private static int minimumHeader(int protocol) {
        return protocol == DecodedPacket.TCP ? 20 : 8;
    }

    /**
     * A first fragment too short for the whole transport header (tiny-fragment evasion, or just a
     * small MTU): the ports are read when present so that the fragments still join their flow.
     */
    private DecodeResult tinyFirstFragment(
            byte[] b, int q, int l4Length, int captured, DecodedPacket out) {
        if (l4Length < 4) {
            return laterFragment(q, q + l4Length, out);
        }
        if (captured < 4) {
            return DecodeResult.TRUNCATED;
        }
        out.srcPort = u16(b, q);
        out.dstPort = u16(b, q + 2);
        if (out.ipProtocol == DecodedPacket.TCP && captured >= 14) {
            out.tcpSeq = (int) u32(b, q + 4);
            out.tcpAck = (int) u32(b, q + 8);
            out.tcpFlags = b[q + 13] & 0xff;
            countReset(out.tcpFlags);
        }
        out.payloadOffset = q + l4Length;
        out.payloadLength = 0;
        out.payloadCaptured = 0;
        fragments.remember(out);
        return DecodeResult.OK;
    }

    private DecodeResult laterFragment(int q, int limit, DecodedPacket out) {
        out.payloadLength = Math.max(0, limit - q);
        out.payloadOffset = q;
        out.payloadCaptured = 0;
        if (out.hasPorts()) {
            if (fragments.lookup(out)) {
                out.portsFromFragmentTable = true;
            } else {
                counters.fragmentOrphans++;
            }
        }
        return DecodeResult.OK;
    }

    private static void setPayload(int offset, int length, int capturedEnd, DecodedPacket out) {
        out.payloadOffset = offset;
        out.payloadLength = length;
        out.payloadCaptured = Math.max(0, Math.min(length, capturedEnd - offset));
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24)
                | ((b[off + 1] & 0xff) << 16)
                | ((b[off + 2] & 0xff) << 8)
                | (b[off + 3] & 0xff);
    }
}
