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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private static final class Entry {
        final Sha1 digest;
        int packets;

        /** Next expected TCP sequence number of each direction, once one was seen. */
        int lowerNextSeq;

        int upperNextSeq;
        boolean lowerSeqKnown;
        boolean upperSeqKnown;

        Entry(Sha1 digest) {
            this.digest = digest;
        }
    }

    private static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(bytes, ((Key) o).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final String agentId;
    private final int payloadPackets;
    private final Map<Key, Entry> flows;
    private final DnsHintCache dnsHints = new DnsHintCache();
    private String interfaceRole;
    private List<String> localNetworks;
    private long tcpSeqErrors;
    private String lastInterface;
    private byte[] lastInterfaceBytes;

    /**
     * @param payloadPackets how many packets of each flow carry their payload
     * @param maxFlows how many flows the table remembers
     */
    public PacketEventAssembler(String agentId, int payloadPackets, int maxFlows) {
        this.agentId = agentId;
        this.payloadPackets = payloadPackets;
        this.flows =
                new LinkedHashMap<>(1024, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                        return size() > maxFlows;
                    }
                };
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
        boolean fromLower = FlowKeys.sourceIsLower(p);
        int n = p.addrLength;
        byte[] lowerAddr = Arrays.copyOf(fromLower ? p.srcAddr : p.dstAddr, n);
        byte[] upperAddr = Arrays.copyOf(fromLower ? p.dstAddr : p.srcAddr, n);
        int lowerPort = fromLower ? p.srcPort : p.dstPort;
        int upperPort = fromLower ? p.dstPort : p.srcPort;
        byte[] lowerMac = p.hasMacs ? Arrays.copyOf(fromLower ? p.srcMac : p.dstMac, 6) : null;
        byte[] upperMac = p.hasMacs ? Arrays.copyOf(fromLower ? p.dstMac : p.srcMac, 6) : null;

        if (p.payloadCaptured > 0) {
            dnsHints.observe(
                    p.ipProtocol,
                    p.srcPort,
                    frameData,
                    p.payloadOffset,
                    p.payloadCaptured,
                    p.timestampNanos / 1_000_000);
        }
        Key key = key(interfaceName, p, lowerAddr, upperAddr, lowerMac, lowerPort, upperPort);
        Entry entry = flows.get(key);
        String dnsHint = null;
        boolean firstOfFlow = false;
        if (entry == null) {
            byte[] digest =
                    FlowKeys.digest(
                            interfaceName,
                            p.ipVersion,
                            p.ipProtocol,
                            p.vlanId,
                            lowerAddr,
                            upperAddr,
                            n,
                            lowerMac,
                            lowerPort,
                            upperPort);
            entry = new Entry(new Sha1(digest));
            flows.put(key, entry);
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

        ByteBuffer payload = null;
        if (entry.packets <= payloadPackets && p.payloadCaptured > 0) {
            payload =
                    ByteBuffer.wrap(
                            Arrays.copyOfRange(
                                    frameData,
                                    p.payloadOffset,
                                    p.payloadOffset + p.payloadCaptured));
        }

        // Constructors, not Avro's builders: a builder validates and copies defaults per field,
        // which cost more than the rest of the assembly per packet.
        PacketRecord record =
                new PacketRecord(
                        p.timestampNanos,
                        fromLower,
                        p.wireLength,
                        p.ipLength,
                        p.payloadLength,
                        p.tcpFlags,
                        p.tcpSeq,
                        p.tcpAck,
                        p.dscp,
                        p.fragment,
                        payload);
        FlowKey flowKey =
                new FlowKey(
                        p.ipVersion,
                        p.ipProtocol,
                        p.vlanId,
                        ByteBuffer.wrap(lowerAddr),
                        ByteBuffer.wrap(upperAddr),
                        lowerPort,
                        upperPort,
                        entry.digest);
        List<PacketRecord> packets = new ArrayList<>(1);
        packets.add(record);
        return new PacketEvent(
                agentId,
                interfaceName,
                flowKey,
                lowerMac == null ? null : ByteBuffer.wrap(lowerMac),
                upperMac == null ? null : ByteBuffer.wrap(upperMac),
                packets,
                dnsHint,
                firstOfFlow ? interfaceRole : null,
                firstOfFlow ? localNetworks : null,
                null,
                null);
    }

    private Key key(
            String interfaceName,
            DecodedPacket p,
            byte[] lowerAddr,
            byte[] upperAddr,
            byte[] lowerMac,
            int lowerPort,
            int upperPort) {
        byte[] name = interfaceBytes(interfaceName);
        int n = lowerAddr.length;
        byte[] k = new byte[name.length + 4 + 2 * n + 6 + 4];
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
        }
        o += 6;
        k[o++] = (byte) (lowerPort >>> 8);
        k[o++] = (byte) lowerPort;
        k[o++] = (byte) (upperPort >>> 8);
        k[o] = (byte) upperPort;
        return new Key(k);
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
