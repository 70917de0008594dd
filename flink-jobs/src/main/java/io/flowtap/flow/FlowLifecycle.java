package io.flowtap.flow;

import io.flowtap.capture.flow.EndpointClassifier;
import io.flowtap.capture.flow.FlowKeys;
import io.flowtap.capture.flow.NetworkSet;
import io.flowtap.dpi.Dissectors;
import io.flowtap.dpi.DpiEngine;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.Risks;
import io.flowtap.schema.FlowKey;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The life of a flow, independent of Flink: counting packets, TCP close and anomaly tracking,
 * update ticks (flow_stats) and idle expiry (flow_purge).
 *
 * <p>Time is event time in milliseconds. Ticks fall on multiples of the update interval since the
 * epoch. At each tick a flow idle for at least its TTL is purged; otherwise, if packets arrived
 * since the previous tick, flow_stats is emitted. Ticks are run both when packets arrive (every
 * tick at or before the packet's time runs first) and by timers as the watermark passes, so the
 * output does not depend on how packets and watermarks interleave.
 */
public final class FlowLifecycle {
    static final int TCP_FIN = 0x01;
    static final int TCP_SYN = 0x02;
    static final int TCP_RST = 0x04;
    static final int TCP_ACK = 0x10;
    private static final int WELL_KNOWN_PORT_LIMIT = 1024;

    /** A flow with no earlier digests; never written to, so every new flow shares it. */
    private static final String[] NO_DIGESTS = new String[0];

    /** Receives what the lifecycle decides. */
    public interface Output {
        /** Decides nothing: for callers that want the flows, not the records. */
        Output NONE =
                new Output() {
                    @Override
                    public void flow(FlowState flow, long timeMs) {}

                    @Override
                    public void dpiUpdate(FlowState flow, long timeMs) {}

                    @Override
                    public void dpiComplete(FlowState flow, long timeMs) {}

                    @Override
                    public void stats(FlowState flow, long timeMs) {}

                    @Override
                    public void purge(FlowState flow, long timeMs, PurgeReason reason) {}
                };

        /**
         * The flow record: when DPI first knows the protocol, or when inspection ends without
         * knowing it (the packet budget is spent, or the flow ends first). Once per flow.
         */
        void flow(FlowState flow, long timeMs);

        /** DPI added metadata after the flow record. */
        void dpiUpdate(FlowState flow, long timeMs);

        /** DPI is over for the flow; the flow takes the fast path. */
        void dpiComplete(FlowState flow, long timeMs);

        /**
         * {@link #flow} then {@link #dpiComplete}, for one packet that both detected the protocol
         * and completed inspection: the flow does not change between the two records.
         */
        default void flowAndDpiComplete(FlowState flow, long timeMs) {
            flow(flow, timeMs);
            dpiComplete(flow, timeMs);
        }

        /** Periodic statistics; interval counters are reset after the call. */
        void stats(FlowState flow, long timeMs);

        /**
         * What the flow carried in [{@code startMs}, {@code endMs}), from its interval counters: at
         * every tick that has packets, before {@link #stats} or {@link #purge}.
         */
        default void usage(FlowState flow, long startMs, long endMs) {}

        /** A flow was created by its first packet. */
        default void flowNew(FlowState flow, long timeMs) {}

        /** The flow leaves the table; its state is discarded after the call. */
        void purge(FlowState flow, long timeMs, PurgeReason reason);
    }

    private final FlowSettings settings;

    /** Interface settings that agents described, by role and networks. */
    private final Map<String, InterfaceSettings> agentInterfaces = new HashMap<>();

    private final long interval;
    private final DpiEngine engine;
    private final boolean usage;
    private final boolean idleTicks;
    private final DpiPacket packet = new DpiPacket();

    /**
     * The link-layer addresses given to the flows created last. Most flows of a capture point have
     * the same two ends on the link (a host and its gateway, or the gateway and a host), and
     * nothing writes into a flow's addresses, so new flows share these instead of copies each.
     */
    private byte[] recentMac;

    private byte[] otherRecentMac;

    /** A lifecycle whose idle flows tick every interval, as trackers with capture markers need. */
    public FlowLifecycle(FlowSettings settings) {
        this(settings, true);
    }

    /**
     * @param idleTicks whether a flow that carried nothing since its last tick still ticks every
     *     interval; without, its next tick is the one at which it expires, unless packets come
     *     first. The records are the same either way (an idle tick emits nothing); only a tracker
     *     that ends an agent's flows on its end-of-capture marker needs every flow to tick within
     *     an interval of the watermark.
     */
    public FlowLifecycle(FlowSettings settings, boolean idleTicks) {
        this.settings = settings;
        this.interval = settings.updateIntervalMs();
        this.engine = new DpiEngine(Dissectors.ALL, settings.maxDetectionPackets());
        this.usage = settings.usage();
        this.idleTicks = idleTicks;
    }

    /**
     * Applies an event's packets to the flow.
     *
     * @param flow the current state, or null when the key has none
     * @return the state to keep, never null
     */
    public FlowState onEvent(FlowState flow, PacketEvent event, Output out) {
        List<PacketRecord> packets = event.getPackets();
        for (int i = 0; i < packets.size(); i++) {
            PacketRecord p = packets.get(i);
            long t = Math.floorDiv(p.getTsNs(), 1_000_000L);
            if (flow != null) {
                flow = advance(flow, t, out);
            }
            if (flow != null && isNewConnection(flow, p)) {
                purge(flow, t, PurgeReason.CLOSED, out);
                flow = null;
            }
            boolean created = flow == null;
            if (created) {
                flow = create(event, p, t);
            }
            count(flow, p, t);
            if (created) {
                out.flowNew(flow, t);
            }
            if (!flow.dpiComplete) {
                inspect(flow, p, t, out);
            }
        }
        return flow;
    }

    private void inspect(FlowState f, PacketRecord p, long t, Output out) {
        if (f.dpi == null) {
            f.dpi = new DpiState();
        }
        DpiPacket d = packet;
        d.ipProtocol = f.ipProtocol;
        d.ipVersion = f.ipVersion;
        d.clientPort = f.lowerIsOrigin ? f.lowerPort : f.upperPort;
        d.serverPort = f.lowerIsOrigin ? f.upperPort : f.lowerPort;
        d.fromClient = p.getFromLower() == f.lowerIsOrigin;
        d.tcpFlags = p.getTcpFlags();
        d.tcpSeq = p.getTcpSeq();
        d.timestampMs = t;
        ByteBuffer payload = p.getPayload();
        if (payload != null && payload.hasArray()) {
            d.payload = payload.array();
            d.offset = payload.arrayOffset() + payload.position();
            d.length = payload.remaining();
        } else if (payload != null) {
            d.payload = bytes(payload);
            d.offset = 0;
            d.length = d.payload.length;
        } else {
            d.length = 0;
        }
        int events = engine.inspect(f.dpi, f.meta, d);
        f.detectionPackets = f.dpi.packets;
        report(f, events, t, out);
    }

    /** Ends inspection of a flow that is about to be purged, so that it has its flow record. */
    private void finishInspection(FlowState f, long t, Output out) {
        if (f.dpiComplete) {
            return;
        }
        if (f.dpi == null) {
            f.dpi = new DpiState();
        }
        int serverPort = f.lowerIsOrigin ? f.upperPort : f.lowerPort;
        int clientPort = f.lowerIsOrigin ? f.lowerPort : f.upperPort;
        report(f, engine.finish(f.dpi, f.meta, f.ipProtocol, serverPort, clientPort), t, out);
    }

    private void report(FlowState f, int events, long t, Output out) {
        boolean complete = (events & DpiEngine.COMPLETE) != 0;
        if (complete) {
            f.dpiComplete = true;
            f.dpi = null;
        }
        if ((events & (DpiEngine.DETECTED | DpiEngine.UPDATED)) != 0 || complete) {
            settings.applications().classify(f.meta, f.lowerIsLocal ? f.upperAddr : f.lowerAddr);
            Risks.evaluate(
                    f.meta,
                    f.lowerIsOrigin ? f.lowerPort : f.upperPort,
                    f.lowerIsOrigin ? f.upperPort : f.lowerPort,
                    t);
        }
        boolean first = false;
        if ((events & DpiEngine.DETECTED) != 0 || complete && !f.flowEmitted) {
            updateDigest(f);
            first = !f.flowEmitted;
            f.flowEmitted = true;
        } else if ((events & DpiEngine.UPDATED) != 0 && f.flowEmitted) {
            updateDigest(f);
            f.meta.detectionUpdated = true;
            out.dpiUpdate(f, t);
        }
        if (first && complete) {
            out.flowAndDpiComplete(f, t);
        } else if (first) {
            out.flow(f, t);
        } else if (complete) {
            out.dpiComplete(f, t);
        }
    }

    /**
     * Once DPI has results, the digest covers them too (docs/semantics.md); the earlier digests are
     * listed in {@code digest_prev}.
     */
    private static void updateDigest(FlowState f) {
        if (f.meta.protocol == 0) {
            return;
        }
        byte[] d =
                FlowKeys.metadataDigest(
                        f.interfaceName,
                        f.ipVersion,
                        f.ipProtocol,
                        f.vlanId,
                        f.lowerAddr,
                        f.upperAddr,
                        f.lowerAddr.length,
                        f.lowerMac,
                        f.lowerPort,
                        f.upperPort,
                        f.meta.protocol,
                        f.meta.application,
                        f.meta.hostServerName,
                        null);
        String hex = FlowKeys.hex(d);
        if (!hex.equals(f.digest)) {
            String[] prev = Arrays.copyOf(f.digestPrev, f.digestPrev.length + 1);
            prev[prev.length - 1] = f.digest;
            f.digestPrev = prev;
            f.digest = hex;
        }
    }

    private void purge(FlowState f, long t, PurgeReason reason, Output out) {
        finishInspection(f, t, out);
        out.purge(f, t, reason);
    }

    /**
     * Runs every tick up to and including {@code now}.
     *
     * @return the state, or null when the flow was purged
     */
    public FlowState advance(FlowState flow, long now, Output out) {
        while (flow.nextTickMs <= now) {
            if (!tick(flow, flow.nextTickMs, out)) {
                return null;
            }
        }
        return flow;
    }

    private boolean tick(FlowState flow, long tick, Output out) {
        long ttl = ttl(flow);
        if (tick - flow.lastSeenMs >= ttl) {
            if (flow.intervalPackets() > 0) {
                updateRates(flow);
                if (usage) {
                    out.usage(flow, tick - interval, tick);
                }
            }
            purge(flow, tick, flow.closing ? PurgeReason.CLOSED : PurgeReason.EXPIRED, out);
            return false;
        }
        if (flow.intervalPackets() > 0) {
            updateRates(flow);
            if (usage) {
                out.usage(flow, tick - interval, tick);
            }
            out.stats(flow, tick);
            resetInterval(flow);
        }
        // With idle ticks, an idle flow still ticks every interval (emitting nothing) rather than
        // sleeping until its expiry: the stream job relies on every flow having a timer within
        // one interval of the watermark to end an agent's flows soon after its end-of-capture
        // marker. Without, it sleeps until the tick at which it expires; a packet brings its
        // next tick forward again (onEvent). Ticks are aligned to the interval, so the expiry
        // falls on one of them either way.
        flow.nextTickMs = tick + interval;
        if (!idleTicks) {
            flow.nextTickMs = Math.max(flow.nextTickMs, tickAtOrAfter(flow.lastSeenMs + ttl));
        }
        return true;
    }

    long ttl(FlowState flow) {
        if (flow.isTcp() && !flow.closing) {
            return settings.ttlIdleTcpFlowMs();
        }
        return settings.ttlIdleFlowMs();
    }

    private long tickAfter(long t) {
        return (Math.floorDiv(t, interval) + 1) * interval;
    }

    private long tickAtOrAfter(long t) {
        return Math.floorDiv(t + interval - 1, interval) * interval;
    }

    /** A SYN on a TCP flow that was already closed starts a new connection on the same ports. */
    private static boolean isNewConnection(FlowState flow, PacketRecord p) {
        return flow.isTcp() && flow.closing && (p.getTcpFlags() & (TCP_SYN | TCP_ACK)) == TCP_SYN;
    }

    private FlowState create(PacketEvent event, PacketRecord first, long t) {
        FlowKey key = event.getFlow();
        FlowState f = new FlowState();
        f.agentId = event.getAgentId();
        f.interfaceName = event.getInterface$();
        f.digest = FlowKeys.hex(key.getDigest().bytes());
        f.digestPrev = NO_DIGESTS;
        f.ipVersion = key.getIpVersion();
        f.ipProtocol = key.getIpProtocol();
        f.vlanId = key.getVlanId();
        f.lowerAddr = bytes(key.getLowerAddr());
        f.upperAddr = bytes(key.getUpperAddr());
        f.lowerPort = key.getLowerPort();
        f.upperPort = key.getUpperPort();
        f.lowerMac = mac(event.getLowerMac());
        f.upperMac = mac(event.getUpperMac());
        f.ipDscp = first.getIpDscp();
        f.lowerIsOrigin = lowerIsOrigin(f, first);
        CharSequence hint = event.getDnsHint();
        f.meta.dnsHostName = hint == null ? null : hint.toString();

        InterfaceSettings itf = interfaceSettings(event, f.interfaceName);
        f.internal = itf.role() == InterfaceRole.LAN;
        EndpointClassifier.Sides sides =
                itf.classifier()
                        .decide(f.lowerAddr, f.upperAddr, f.lowerAddr.length, f.lowerIsOrigin);
        f.lowerIsLocal = sides.lowerIsLocal;
        f.otherType = sides.otherType.json();
        byte[] local = f.lowerIsLocal ? f.lowerAddr : f.upperAddr;
        f.localInLocalNetwork =
                itf.classifier().classify(local, local.length)
                        == EndpointClassifier.AddressClass.LOCAL;

        f.firstSeenMs = t;
        f.lastSeenMs = t;
        f.nextTickMs = tickAfter(t);
        return f;
    }

    /**
     * The settings of the flow's interface: as the capture agent describes it on the flow's first
     * event, else the job's own.
     */
    private InterfaceSettings interfaceSettings(PacketEvent event, String interfaceName) {
        CharSequence role = event.getInterfaceRole();
        if (role == null) {
            return settings.interfaceSettings(interfaceName);
        }
        List<String> networks =
                event.getLocalNetworks() == null ? List.of() : event.getLocalNetworks();
        String key = role + " " + networks;
        InterfaceSettings s = agentInterfaces.get(key);
        if (s == null) {
            try {
                s =
                        new InterfaceSettings(
                                InterfaceRole.parse(role.toString()), NetworkSet.of(networks));
            } catch (IllegalArgumentException e) {
                // An agent's description the job cannot read: the job's own settings apply.
                s = settings.interfaceSettings(interfaceName);
            }
            if (agentInterfaces.size() > 1024) {
                agentInterfaces.clear();
            }
            agentInterfaces.put(key, s);
        }
        return s;
    }

    /**
     * Who opened the flow: a TCP SYN says so; otherwise a well-known port (below 1024) facing an
     * ephemeral one marks the server; otherwise the sender of the first packet.
     */
    static boolean lowerIsOrigin(FlowState f, PacketRecord first) {
        boolean fromLower = first.getFromLower();
        if (f.isTcp()) {
            int flags = first.getTcpFlags() & (TCP_SYN | TCP_ACK);
            if (flags == TCP_SYN) {
                return fromLower;
            }
            if (flags == (TCP_SYN | TCP_ACK)) {
                return !fromLower;
            }
        }
        boolean lowerWellKnown = f.lowerPort > 0 && f.lowerPort < WELL_KNOWN_PORT_LIMIT;
        boolean upperWellKnown = f.upperPort > 0 && f.upperPort < WELL_KNOWN_PORT_LIMIT;
        if (lowerWellKnown && !upperWellKnown && f.upperPort > 0) {
            return false;
        }
        if (upperWellKnown && !lowerWellKnown && f.lowerPort > 0) {
            return true;
        }
        return fromLower;
    }

    private void count(FlowState f, PacketRecord p, long t) {
        if (t > f.lastSeenMs) {
            f.lastSeenMs = t;
        }
        long bytes = p.getWireLen();
        long second = Math.floorDiv(t, 1000L);
        if (p.getFromLower()) {
            f.lowerPackets++;
            f.lowerBytes += bytes;
            f.intervalLowerPackets++;
            f.intervalLowerBytes += bytes;
            if (second != f.lowerLastSecond) {
                f.lowerLastSecond = second;
                f.lowerActiveSeconds++;
            }
        } else {
            f.upperPackets++;
            f.upperBytes += bytes;
            f.intervalUpperPackets++;
            f.intervalUpperBytes += bytes;
            if (second != f.upperLastSecond) {
                f.upperLastSecond = second;
                f.upperActiveSeconds++;
            }
        }
        if (f.isTcp()) {
            trackTcp(f, p);
        }
        long next = tickAfter(t);
        if (next < f.nextTickMs) {
            f.nextTickMs = next;
        }
    }

    /**
     * Resets, retransmissions (a segment whose every byte was seen before), sequence errors (a
     * segment that starts beyond the next expected byte: data missing or reordered) and closing
     * (RST, or a FIN acknowledged by the other side). Sequence arithmetic is modulo 2^32.
     */
    static void trackTcp(FlowState f, PacketRecord p) {
        int flags = p.getTcpFlags();
        boolean fromLower = p.getFromLower();
        int seq = p.getTcpSeq();
        if ((flags & TCP_RST) != 0) {
            f.tcpResets++;
            f.closing = true;
        }
        int segLen =
                p.getPayloadLen()
                        + ((flags & TCP_SYN) != 0 ? 1 : 0)
                        + ((flags & TCP_FIN) != 0 ? 1 : 0);
        if (segLen > 0 && (flags & TCP_RST) == 0) {
            boolean valid = fromLower ? f.lowerSeqValid : f.upperSeqValid;
            int next = fromLower ? f.lowerNextSeq : f.upperNextSeq;
            int end = seq + segLen;
            if (!valid) {
                next = end;
            } else if (end - next <= 0) {
                f.tcpRetrans++;
            } else {
                if (seq - next > 0) {
                    f.tcpSeqErrors++;
                }
                next = end;
            }
            if (fromLower) {
                f.lowerSeqValid = true;
                f.lowerNextSeq = next;
            } else {
                f.upperSeqValid = true;
                f.upperNextSeq = next;
            }
        }
        if ((flags & TCP_FIN) != 0) {
            int finSeq = seq + p.getPayloadLen();
            if (fromLower) {
                f.lowerFin = true;
                f.lowerFinSeq = finSeq;
            } else {
                f.upperFin = true;
                f.upperFinSeq = finSeq;
            }
        }
        if ((flags & TCP_ACK) != 0) {
            boolean otherFin = fromLower ? f.upperFin : f.lowerFin;
            int otherFinSeq = fromLower ? f.upperFinSeq : f.lowerFinSeq;
            if (otherFin && p.getTcpAck() - (otherFinSeq + 1) >= 0) {
                f.closing = true;
            }
        }
    }

    private static void updateRates(FlowState f) {
        f.lowerRate =
                f.lowerActiveSeconds > 0 ? (float) f.intervalLowerBytes / f.lowerActiveSeconds : 0f;
        f.upperRate =
                f.upperActiveSeconds > 0 ? (float) f.intervalUpperBytes / f.upperActiveSeconds : 0f;
    }

    private static void resetInterval(FlowState f) {
        f.intervalLowerPackets = 0;
        f.intervalLowerBytes = 0;
        f.intervalUpperPackets = 0;
        f.intervalUpperBytes = 0;
        f.lowerActiveSeconds = 0;
        f.upperActiveSeconds = 0;
        f.lowerLastSecond = -1;
        f.upperLastSecond = -1;
    }

    /** A flow's copy of a link-layer address, shared with other flows of the same address. */
    private byte[] mac(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        if (sameBytes(recentMac, b)) {
            return recentMac;
        }
        if (!sameBytes(otherRecentMac, b)) {
            otherRecentMac = bytes(b);
        }
        byte[] m = otherRecentMac;
        otherRecentMac = recentMac;
        recentMac = m;
        return m;
    }

    private static boolean sameBytes(byte[] a, ByteBuffer b) {
        if (a == null || a.length != b.remaining()) {
            return false;
        }
        int at = b.position();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b.get(at + i)) {
                return false;
            }
        }
        return true;
    }

    /** The buffer's remaining bytes, read at absolute positions: no duplicate buffer per call. */
    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }
}
