package io.flowtap.capture.flow;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;

/**
 * Joins consecutive packets of a flow into one event, so that the job handles (and serializes
 * across its {@code keyBy}) one record per flow per short stretch of capture time instead of one
 * per packet. A flow's event is let go when it holds {@code maxPackets} packets, when its first
 * packet is more than {@code maxDelayNs} of capture time older than the packet just added (or than
 * the time given to {@link #expire}), when {@link #flush} is called (end of file, a read error, a
 * counters report), or when its flow leaves the caller's table ({@link #release}).
 *
 * <p>The coalescer keeps no table of flows: the caller, which looks every packet's flow up anyway
 * ({@link PacketEventAssembler}), keeps each flow's {@link Slot} and hands it in with the packet.
 *
 * <p>An event carrying what only a flow's first event carries (a DNS hint, the interface's role and
 * networks) always starts a new one, and so does a change of MAC addresses: the joined events say
 * exactly what the single ones said. Events come out in the order they are let go, which is at most
 * {@code maxDelayNs} out of capture-time order: keep it below the watermark's out-of-orderness, so
 * that nothing becomes late.
 */
public final class EventCoalescer {
    /** A flow's place in the coalescer: its open event, if it has one. */
    public static final class Slot {
        private Pending open;
    }

    private final class Pending {
        final Slot slot;
        final PacketEvent first;
        final List<PacketRecord> packets = new ArrayList<>(8);
        final long firstNs;

        /** Let go already: waits in {@link #order} until it reaches the head. */
        boolean done;

        Pending(Slot slot, PacketEvent first) {
            this.slot = slot;
            this.first = first;
            this.firstNs = first.getPackets().get(0).getTsNs();
            packets.addAll(first.getPackets());
        }

        PacketEvent event() {
            if (packets.size() != first.getPackets().size()) {
                first.setPackets(packets);
            }
            return first;
        }

        EventCoalescer owner() {
            return EventCoalescer.this;
        }
    }

    private final int maxPackets;
    private final long maxDelayNs;
    private int openFlows;

    /**
     * Events in the order they were started, the oldest first packet first: open ones, and those
     * let go early (full, or followed by one that does not join) until they reach the head. Expiry
     * looks at the head only, without walking the flows.
     */
    private final ArrayDeque<Pending> order = new ArrayDeque<>();

    private final Queue<PacketEvent> ready = new ArrayDeque<>();

    public EventCoalescer(int maxPackets, long maxDelayNs) {
        if (maxPackets < 1 || maxDelayNs < 0) {
            throw new IllegalArgumentException("at least one packet, and a delay of 0 or more");
        }
        this.maxPackets = maxPackets;
        this.maxDelayNs = maxDelayNs;
    }

    /**
     * Adds one packet of {@code flow} to the flow's open event, if it has one with these link-layer
     * addresses; the caller knows the packet carries nothing only a flow's first event carries.
     * Returns false, adding nothing, when the packet must start an event of its own ({@link #add}).
     */
    public boolean join(Slot flow, PacketRecord packet, ByteBuffer lowerMac, ByteBuffer upperMac) {
        Pending p = flow.open;
        if (p == null
                || !Objects.equals(p.first.getLowerMac(), lowerMac)
                || !Objects.equals(p.first.getUpperMac(), upperMac)) {
            return false;
        }
        p.packets.add(packet);
        if (p.packets.size() >= maxPackets) {
            letGo(p);
        }
        expire(packet.getTsNs());
        return true;
    }

    /**
     * Takes an event of {@code flow}: joined to the flow's open event when it may be, else the
     * first of a new one (the open one, if any, is let go). Events let go meanwhile are then {@link
     * #poll}able.
     */
    public void add(Slot flow, PacketEvent e) {
        long now = e.getPackets().get(0).getTsNs();
        Pending p = flow.open;
        if (p != null && joins(p.first, e)) {
            p.packets.addAll(e.getPackets());
            if (p.packets.size() >= maxPackets) {
                letGo(p);
            }
        } else {
            if (p != null) {
                letGo(p);
            }
            if (maxPackets == 1) {
                ready.add(e);
            } else {
                Pending started = new Pending(flow, e);
                flow.open = started;
                openFlows++;
                order.add(started);
            }
        }
        expire(now);
    }

    /** Lets the flow's open event go, if it has one: its flow leaves the caller's table. */
    public static void release(Slot flow) {
        Pending p = flow.open;
        if (p != null) {
            p.owner().letGo(p);
        }
    }

    private void letGo(Pending p) {
        p.slot.open = null;
        openFlows--;
        p.done = true;
        ready.add(p.event());
    }

    /**
     * Lets go the events whose first packet is more than {@code maxDelayNs} older than {@code
     * nowNs}: what adding a packet does with its time, for a live capture to call with the clock's
     * time while its link is quiet.
     */
    public void expire(long nowNs) {
        for (Pending oldest = order.peek(); oldest != null; oldest = order.peek()) {
            if (!oldest.done) {
                if (nowNs - oldest.firstNs <= maxDelayNs) {
                    break;
                }
                letGo(oldest);
            }
            order.poll();
        }
    }

    /** Lets every open event go. */
    public void flush() {
        for (Pending p : order) {
            if (!p.done) {
                p.slot.open = null;
                ready.add(p.event());
            }
        }
        order.clear();
        openFlows = 0;
    }

    /** The next event let go, or null. */
    public PacketEvent poll() {
        return ready.poll();
    }

    /** Flows with an open event. */
    public int openFlows() {
        return openFlows;
    }

    private static boolean joins(PacketEvent open, PacketEvent e) {
        return e.getDnsHint() == null
                && e.getInterfaceRole() == null
                && e.getLocalNetworks() == null
                && Objects.equals(open.getLowerMac(), e.getLowerMac())
                && Objects.equals(open.getUpperMac(), e.getUpperMac());
    }
}
