package io.flowtap.capture.flow;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Queue;

/**
 * Joins consecutive single-packet events of a flow into one event, so that the job handles (and
 * serializes across its {@code keyBy}) one record per flow per short stretch of capture time
 * instead of one per packet. A flow's event is let go when it holds {@code maxPackets} packets,
 * when its first packet is more than {@code maxDelayNs} of capture time older than the packet just
 * added (or than the time given to {@link #expire}), or when {@link #flush} is called (end of file,
 * a read error, a counters report).
 *
 * <p>An event carrying what only a flow's first event carries (a DNS hint, the interface's role and
 * networks) always starts a new one, and so does a change of MAC addresses: the joined events say
 * exactly what the single ones said. Events come out in the order they are let go, which is at most
 * {@code maxDelayNs} out of capture-time order: keep it below the watermark's out-of-orderness, so
 * that nothing becomes late.
 */
public final class EventCoalescer {
    private static final class Pending {
        final Key key;
        final PacketEvent first;
        final List<PacketRecord> packets = new ArrayList<>(8);
        final long firstNs;

        /** Let go already: waits in {@link #order} until it reaches the head. */
        boolean done;

        Pending(Key key, PacketEvent first) {
            this.key = key;
            this.first = first;
            this.firstNs = first.getPackets().get(0).getTsNs();
            packets.addAll(first.getPackets());
        }

        PacketEvent event() {
            if (packets.size() == first.getPackets().size()) {
                return first;
            }
            first.setPackets(packets);
            return first;
        }
    }

    /** A flow's key; one mutable instance probes the table for every event, copies are kept. */
    private static final class Key {
        String interfaceName;
        byte[] digest;
        int hash;

        Key set(PacketEvent e) {
            interfaceName = e.getInterface$();
            digest = e.getFlow().getDigest().bytes();
            hash = 31 * Arrays.hashCode(digest) + interfaceName.hashCode();
            return this;
        }

        Key copy() {
            Key k = new Key();
            k.interfaceName = interfaceName;
            k.digest = digest; // the event's own array, which nobody changes
            k.hash = hash;
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && hash == k.hash
                    && Arrays.equals(digest, k.digest)
                    && interfaceName.equals(k.interfaceName);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final int maxPackets;
    private final long maxDelayNs;

    /** Open events by flow. */
    private final HashMap<Key, Pending> open = new HashMap<>();

    /**
     * Events in the order they were started, the oldest first packet first: open ones, and those
     * let go early (full, or followed by one that does not join) until they reach the head. Expiry
     * looks at the head only, without walking the table.
     */
    private final ArrayDeque<Pending> order = new ArrayDeque<>();

    private final Queue<PacketEvent> ready = new ArrayDeque<>();
    private final Key probe = new Key();

    public EventCoalescer(int maxPackets, long maxDelayNs) {
        if (maxPackets < 1 || maxDelayNs < 0) {
            throw new IllegalArgumentException("at least one packet, and a delay of 0 or more");
        }
        this.maxPackets = maxPackets;
        this.maxDelayNs = maxDelayNs;
    }

    /** Takes a single-packet event; events let go meanwhile are then {@link #poll}able. */
    public void add(PacketEvent e) {
        long now = e.getPackets().get(0).getTsNs();
        Pending p = open.get(probe.set(e));
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
                Pending started = new Pending(probe.copy(), e);
                open.put(started.key, started);
                order.add(started);
            }
        }
        expire(now);
    }

    private void letGo(Pending p) {
        open.remove(p.key);
        p.done = true;
        ready.add(p.event());
    }

    /**
     * Lets go the events whose first packet is more than {@code maxDelayNs} older than {@code
     * nowNs}: what {@link #add} does with the new packet's time, for a live capture to call with
     * the clock's time while its link is quiet.
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
                ready.add(p.event());
            }
        }
        order.clear();
        open.clear();
    }

    /** The next event let go, or null. */
    public PacketEvent poll() {
        return ready.poll();
    }

    /** Flows with an open event. */
    public int openFlows() {
        return open.size();
    }

    private static boolean joins(PacketEvent open, PacketEvent e) {
        return e.getDnsHint() == null
                && e.getInterfaceRole() == null
                && e.getLocalNetworks() == null
                && Objects.equals(open.getLowerMac(), e.getLowerMac())
                && Objects.equals(open.getUpperMac(), e.getUpperMac());
    }
}
