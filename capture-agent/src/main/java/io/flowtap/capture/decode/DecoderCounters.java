package io.flowtap.capture.decode;

/**
 * Packet counters kept by a decoder, named after the Netify interface statistics they feed. Plain
 * fields: a decoder and its counters belong to one thread.
 */
public final class DecoderCounters {
    /** Every frame handed to the decoder. */
    public long raw;

    public long ethernet;
    public long ip;
    public long ip4;
    public long ip6;

    /** Wire bytes of the IP packets (frame lengths, link header included). */
    public long ipBytes;

    public long ip4Bytes;
    public long ip6Bytes;

    /** Wire bytes of every frame. */
    public long wireBytes;

    public long tcp;
    public long udp;
    public long icmp;
    public long igmp;
    public long vlan;
    public long mpls;
    public long pppoe;
    public long fragmented;

    /** TCP segments with RST set. */
    public long tcpResets;

    /** Non-first fragments whose first fragment was not seen (their ports are unknown). */
    public long fragmentOrphans;

    /** Frames that are not IP (ARP, STP, LLDP...). */
    public long notIp;

    public long truncated;
    public long malformed;
    public long unsupportedLink;

    /** Frames that produced no flow packet: truncated, malformed or of unsupported link. */
    public long discarded;

    public long discardedBytes;
    public long largestBytes;

    public void addTo(DecoderCounters total) {
        total.raw += raw;
        total.ethernet += ethernet;
        total.ip += ip;
        total.ip4 += ip4;
        total.ip6 += ip6;
        total.ipBytes += ipBytes;
        total.ip4Bytes += ip4Bytes;
        total.ip6Bytes += ip6Bytes;
        total.wireBytes += wireBytes;
        total.tcp += tcp;
        total.udp += udp;
        total.icmp += icmp;
        total.igmp += igmp;
        total.vlan += vlan;
        total.mpls += mpls;
        total.pppoe += pppoe;
        total.fragmented += fragmented;
        total.tcpResets += tcpResets;
        total.fragmentOrphans += fragmentOrphans;
        total.notIp += notIp;
        total.truncated += truncated;
        total.malformed += malformed;
        total.unsupportedLink += unsupportedLink;
        total.discarded += discarded;
        total.discardedBytes += discardedBytes;
        total.largestBytes = Math.max(total.largestBytes, largestBytes);
    }
}
