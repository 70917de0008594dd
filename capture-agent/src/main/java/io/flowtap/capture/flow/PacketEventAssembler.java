package io.flowtap.capture.flow;

import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.dpi.DnsHintCache;
import io.flowtap.schema.FlowKey;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;
import io.flowtap.schema.Sha1;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns decoded packets into {@link PacketEvent}s. Keeps a bounded table of recently seen flows so
 * that the digest is computed once per flow and payload travels only with a flow's first {@code
 * payloadPackets} packets. A flow pushed out of the table by newer ones starts counting again,
 * which costs some payload bytes but never loses a packet.
 *
 * <p>It also keeps the agent's DNS hint cache: DNS answers passing through teach it addresses and
 * names, and a flow's first event carries the name of the address its first packet went to.
 */
public final class PacketEventAssembler {
    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_ACK = 0x10;

    /** What the table remembers of a flow. */
    private static final class Entry extends RecentFlows.Node {
        /** The flow's key, shared by all its events: nobody changes an event's key. */
        final FlowKey flowKey;

        int packets;

        /** The link-layer addresses of the flow's last event, shared while they stay the same. */
        ByteBuffer lowerMac;

        ByteBuffer upperMac;

        /** The same addresses as numbers, to compare without reading the kept buffers. */
        long lowerMacBits;

        long upperMacBits;

        /** The flow's open event in a coalescer, if its packets are joined into events. */
        final EventCoalescer.Slot slot = new EventCoalescer.Slot();

        /** Next expected TCP sequence number of each direction, once one was seen. */
        int lowerNextSeq;

        int upperNextSeq;
        boolean lowerSeqKnown;
        boolean upperSeqKnown;

        Entry(FlowKey flowKey) {
            this.flowKey = flowKey;
        }
    }

    private final String agentId;
    private final int payloadPackets;
    private final RecentFlows<Entry> flows;
    private final DnsHintCache dnsHints = new DnsHintCache();
    private String interfaceRole;
    private List<String> localNetworks;
    private long tcpSeqErrors;
    private String lastInterface;
    private byte[] lastInterfaceBytes;

    /**
     * The table key of the packet at hand: interface, protocol, version, VLAN, addresses, ports
     * (and a DHCP client's MAC), rewritten for every packet; a flow's node keeps a copy.
     */
    private byte[] probe = new byte[64];

    private int probeLength;
    private int probeHash;

    /** The link-layer addresses given to flows last, with their numbers ({@link #macBuffer}). */
    private ByteBuffer recentMac;

    private long recentMacBits;
    private ByteBuffer otherRecentMac;
    private long otherRecentMacBits;

    /** The flow of the packet {@link #record} took last. */
    private Entry current;

    /** Whether that packet starts its flow (or a new connection on the same ports). */
    private boolean currentFirst;

    /** The DNS hint of that packet's flow, on its first packet only. */
    private String currentDnsHint;

    /**
     * @param payloadPackets how many packets of each flow carry their payload
     * @param maxFlows how many flows the table remembers
     */
    public PacketEventAssembler(String agentId, int payloadPackets, int maxFlows) {
        this.agentId = agentId;
        this.payloadPackets = payloadPackets;
        // A flow let go goes with its open event, before any later packet of it starts another.
        this.flows = new RecentFlows<>(maxFlows, eldest -> EventCoalescer.release(eldest.slot));
    }

    /**
     * TCP segments that did not continue their direction's sequence: a gap ahead of the next
     * expected number, or a segment starting before it that is not wholly a retransmission.
     */
    public long tcpSeqErrors() {
        return tcpSeqErrors;
    }

    /** Flows the table remembers now. */
    public int flowsInTable() {
        return flows.size();
    }

    /**
     * Makes every flow's first event carry the interface's role and local networks, so that the job
     * decides the flow's local end as this capture point is configured to.
     *
     * @param role {@code lan} or {@code wan}
     */
    public void describeInterface(String role, List<String> networks) {
        this.interfaceRole = role;
        this.localNetworks = List.copyOf(networks);
    }

    /**
     * Follows one direction's sequence numbers the way Netify's agent counts {@code
     * tcp_seq_errors}: a segment at the expected number advances it; one wholly before it is a
     * retransmission; anything else (a gap, or an overlap reaching past it) is an error and moves
     * the expectation to the segment's end. SYN and FIN take one number each.
     */
    private void followSequence(Entry e, boolean fromLower, DecodedPacket p) {
        int length = p.payloadLength + ((p.tcpFlags & (TCP_SYN | TCP_FIN)) != 0 ? 1 : 0);
        int end = p.tcpSeq + length;
        boolean known = fromLower ? e.lowerSeqKnown : e.upperSeqKnown;
        int next = fromLower ? e.lowerNextSeq : e.upperNextSeq;
        if (known) {
            int ahead = p.tcpSeq - next;
            if (ahead == 0) {
                if (length == 0) {
                    return;
                }
            } else if (ahead < 0 && length > 0 && end - next <= 0) {
                return;
            } else {
                tcpSeqErrors++;
                if (ahead < 0 && length == 0) {
                    return;
                }
            }
        }
        if (fromLower) {
            e.lowerNextSeq = end;
            e.lowerSeqKnown = true;
        } else {
            e.upperNextSeq = end;
            e.upperSeqKnown = true;
        }
    }

    /**
     * Builds the event for one decoded packet.
     *
     * @param frameData the frame's buffer, for the payload
     */
    public PacketEvent assemble(DecodedPacket p, String interfaceName, byte[] frameData) {
        PacketRecord record = record(p, interfaceName, frameData);
        return event(record, interfaceName);
    }

    /**
     * Gives one decoded packet to {@code coalescer}: joined to its flow's open event there, or as
     * the first packet of a new event. Events let go meanwhile are then pollable from the
     * coalescer. The flow is looked up once, here; the coalescer keeps no table of its own.
     *
     * @param frameData the frame's buffer, for the payload
     */
    public void assemble(
            DecodedPacket p, String interfaceName, byte[] frameData, EventCoalescer coalescer) {
        PacketRecord record = record(p, interfaceName, frameData);
        Entry entry = current;
        if (!currentFirst
                && currentDnsHint == null
                && coalescer.join(entry.slot, record, entry.lowerMac, entry.upperMac)) {
            return;
        }
        coalescer.add(entry.slot, event(record, interfaceName));
    }

    /**
     * The packet's record, after looking its flow up (in {@link #current}, with {@link
     * #currentFirst} and {@link #currentDnsHint}).
     */
    private PacketRecord record(DecodedPacket p, String interfaceName, byte[] frameData) {
        boolean fromLower = FlowKeys.sourceIsLower(p);
        int n = p.addrLength;
        // The decoder's own arrays, overwritten by the next packet: copied only where kept.
        byte[] lowerAddr = fromLower ? p.srcAddr : p.dstAddr;
        byte[] upperAddr = fromLower ? p.dstAddr : p.srcAddr;
        int lowerPort = fromLower ? p.srcPort : p.dstPort;
        int upperPort = fromLower ? p.dstPort : p.srcPort;
        byte[] lowerMac = p.hasMacs ? (fromLower ? p.srcMac : p.dstMac) : null;
        byte[] upperMac = p.hasMacs ? (fromLower ? p.dstMac : p.srcMac) : null;

        if (p.payloadCaptured > 0) {
            dnsHints.observe(
                    p.ipProtocol,
                    p.srcPort,
                    frameData,
                    p.payloadOffset,
                    p.payloadCaptured,
                    p.timestampNanos / 1_000_000);
        }
        probe(interfaceName, p, lowerAddr, upperAddr, n, lowerMac, lowerPort, upperPort);
        Entry entry = flows.get(probe, probeLength, probeHash);
        String dnsHint = null;
        boolean firstOfFlow = false;
        if (entry == null) {
            byte[] lower = Arrays.copyOf(lowerAddr, n);
            byte[] upper = Arrays.copyOf(upperAddr, n);
            byte[] lowerMacCopy = lowerMac == null ? null : Arrays.copyOf(lowerMac, 6);
            byte[] digest =
                    FlowKeys.digest(
                            interfaceName,
                            p.ipVersion,
                            p.ipProtocol,
                            p.vlanId,
                            lower,
                            upper,
                            n,
                            lowerMacCopy,
                            lowerPort,
                            upperPort);
            FlowKey flowKey = new FlowKey();
            flowKey.setIpVersion(p.ipVersion);
            flowKey.setIpProtocol(p.ipProtocol);
            flowKey.setVlanId(p.vlanId);
            flowKey.setLowerAddr(ByteBuffer.wrap(lower));
            flowKey.setUpperAddr(ByteBuffer.wrap(upper));
            flowKey.setLowerPort(lowerPort);
            flowKey.setUpperPort(upperPort);
            flowKey.setDigest(new Sha1(digest));
            entry = new Entry(flowKey);
            flows.put(probe, probeLength, probeHash, entry);
            dnsHint = dnsHints.lookup(Arrays.copyOf(p.dstAddr, n), p.timestampNanos / 1_000_000);
            firstOfFlow = true;
        } else if (p.ipProtocol == DecodedPacket.TCP
                && (p.tcpFlags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
            // A new connection on the same ports: its first packets deserve payload again.
            entry.packets = 0;
            entry.lowerSeqKnown = false;
            entry.upperSeqKnown = false;
            dnsHint = dnsHints.lookup(Arrays.copyOf(p.dstAddr, n), p.timestampNanos / 1_000_000);
            firstOfFlow = true;
        }
        entry.packets++;
        if (p.ipProtocol == DecodedPacket.TCP && !p.fragment) {
            followSequence(entry, fromLower, p);
        }
        if (lowerMac == null) {
            entry.lowerMac = null;
        } else if (entry.lowerMac == null || entry.lowerMacBits != macBits(lowerMac)) {
            entry.lowerMacBits = macBits(lowerMac);
            entry.lowerMac = macBuffer(lowerMac, entry.lowerMacBits);
        }
        if (upperMac == null) {
            entry.upperMac = null;
        } else if (entry.upperMac == null || entry.upperMacBits != macBits(upperMac)) {
            entry.upperMacBits = macBits(upperMac);
            entry.upperMac = macBuffer(upperMac, entry.upperMacBits);
        }

        ByteBuffer payload = null;
        if (entry.packets <= payloadPackets && p.payloadCaptured > 0) {
            payload =
                    ByteBuffer.wrap(
                            Arrays.copyOfRange(
                                    frameData,
                                    p.payloadOffset,
                                    p.payloadOffset + p.payloadCaptured));
        }

        // Setters, not Avro's builders (which validate and copy defaults per field) nor the
        // all-arguments constructors (which box every number).
        PacketRecord record = new PacketRecord();
        record.setTsNs(p.timestampNanos);
        record.setFromLower(fromLower);
        record.setWireLen(p.wireLength);
        record.setIpLen(p.ipLength);
        record.setPayloadLen(p.payloadLength);
        record.setTcpFlags(p.tcpFlags);
        record.setTcpSeq(p.tcpSeq);
        record.setTcpAck(p.tcpAck);
        record.setIpDscp(p.dscp);
        record.setFragment(p.fragment);
        record.setPayload(payload);
        current = entry;
        currentFirst = firstOfFlow;
        currentDnsHint = dnsHint;
        return record;
    }

    /** An event of the packet {@link #record} took last, carrying that packet alone. */
    private PacketEvent event(PacketRecord record, String interfaceName) {
        Entry entry = current;
        List<PacketRecord> packets = new ArrayList<>(1);
        packets.add(record);
        PacketEvent event = new PacketEvent();
        event.setAgentId(agentId);
        event.setInterface$(interfaceName);
        event.setFlow(entry.flowKey);
        event.setLowerMac(entry.lowerMac);
        event.setUpperMac(entry.upperMac);
        event.setPackets(packets);
        event.setDnsHint(currentDnsHint);
        event.setInterfaceRole(currentFirst ? interfaceRole : null);
        event.setLocalNetworks(currentFirst ? localNetworks : null);
        return event;
    }

    /**
     * A buffer of the address, shared with the flows that had it last: events' buffers are only
     * read, and most flows of a link have the same two ends (a host and its gateway).
     */
    private ByteBuffer macBuffer(byte[] mac, long bits) {
        if (recentMac == null || recentMacBits != bits) {
            if (otherRecentMac == null || otherRecentMacBits != bits) {
                otherRecentMac = ByteBuffer.wrap(Arrays.copyOf(mac, 6));
                otherRecentMacBits = bits;
            }
            ByteBuffer b = otherRecentMac;
            otherRecentMac = recentMac;
            otherRecentMacBits = recentMacBits;
            recentMac = b;
            recentMacBits = bits;
        }
        return recentMac;
    }

    private static long macBits(byte[] mac) {
        return (mac[0] & 0xffL) << 40
                | (mac[1] & 0xffL) << 32
                | (mac[2] & 0xffL) << 24
                | (mac[3] & 0xffL) << 16
                | (mac[4] & 0xffL) << 8
                | (mac[5] & 0xffL);
    }

    /** Writes this packet's table key into {@link #probe}. */
    private void probe(
            String interfaceName,
            DecodedPacket p,
            byte[] lowerAddr,
            byte[] upperAddr,
            int n,
            byte[] lowerMac,
            int lowerPort,
            int upperPort) {
        byte[] name = interfaceBytes(interfaceName);
        int size = name.length + 4 + 2 * n + 6 + 4;
        if (probe.length < size) {
            probe = new byte[size];
        }
        byte[] k = probe;
        int o = 0;
        System.arraycopy(name, 0, k, o, name.length);
        o += name.length;
        k[o++] = (byte) p.ipProtocol;
        k[o++] = (byte) p.ipVersion;
        k[o++] = (byte) p.vlanId;
        k[o++] = (byte) (p.vlanId >>> 8);
        System.arraycopy(lowerAddr, 0, k, o, n);
        o += n;
        System.arraycopy(upperAddr, 0, k, o, n);
        o += n;
        if (lowerMac != null && p.ipVersion == 4 && isDhcpBroadcast(lowerAddr, upperAddr)) {
            // The digest separates broadcasts of different clients by MAC; so does the table.
            System.arraycopy(lowerMac, 0, k, o, 6);
        } else {
            Arrays.fill(k, o, o + 6, (byte) 0);
        }
        o += 6;
        k[o++] = (byte) (lowerPort >>> 8);
        k[o++] = (byte) lowerPort;
        k[o++] = (byte) (upperPort >>> 8);
        k[o++] = (byte) upperPort;
        probeLength = o;
        probeHash = RecentFlows.hash(k, o);
    }

    /** The name's bytes, kept for the last name: a capture has one interface or few. */
    private byte[] interfaceBytes(String interfaceName) {
        if (!interfaceName.equals(lastInterface)) {
            lastInterface = interfaceName;
            lastInterfaceBytes = interfaceName.getBytes(StandardCharsets.UTF_8);
        }
        return lastInterfaceBytes;
    }

    private static boolean isDhcpBroadcast(byte[] lower, byte[] upper) {
        return lower[0] == 0
                && lower[1] == 0
                && lower[2] == 0
                && lower[3] == 0
                && (upper[0] & upper[1] & upper[2] & upper[3]) == (byte) 0xff;
    }
}
