package io.flowtap.flow;

import io.flowtap.schema.Sha1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Open flows by agent and digest, and one event-time timer per flow at most, with the semantics of
 * Flink's keyed timers for one timer per key: a deleted timer never fires, timers fire in the order
 * of their times, and timers of one time in the order they were set. Setting a flow's timer again
 * at its time leaves it in its place; setting it at another time moves it there, last of that time.
 * Not thread-safe.
 *
 * <p>Timers fall on the flows' tick times, so few distinct times are pending at once, each with
 * many flows: a sorted map of times to a list of the flows due then, linked through the flows' own
 * entries, where Flink keeps a heap of one entry per timer beside a set per key group to find them
 * again. The entry looked up last is remembered, as the operator asks for the same flow's state and
 * timer several times per event.
 *
 * <p>The entries are found by open addressing (linear probing, at most half full, entries moved
 * back on removal): no node object per flow, and one memory access fewer per lookup than a hash
 * map's chain, each of them a likely cache miss with hundreds of thousands of flows.
 */
public final class FlowTable {
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final VarHandle INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /**
     * A flow's key: the agent whose packets it has and the SHA-1 digest of its five-tuple. The
     * digest's 20 bytes are kept as numbers too, so that comparing two keys reads no array, and the
     * hash is computed once.
     */
    public static final class FlowId {
        private final String agentId;
        private final Sha1 digest;
        private final long d0;
        private final long d1;
        private final int d2;
        private final int hash;

        /**
         * @throws IllegalArgumentException if the digest is not of 20 bytes
         */
        public FlowId(String agentId, Sha1 digest) {
            byte[] b = digest.bytes();
            if (b.length != 20) {
                throw new IllegalArgumentException(
                        "a flow digest has 20 bytes, this one " + b.length);
            }
            this.agentId = agentId;
            this.digest = digest;
            this.d0 = (long) LONGS.get(b, 0);
            this.d1 = (long) LONGS.get(b, 8);
            this.d2 = (int) INTS.get(b, 16);
            // The digest's bytes are uniformly distributed already.
            this.hash = 31 * agentId.hashCode() + (int) (d0 ^ (d0 >>> 32));
        }

        public String agentId() {
            return agentId;
        }

        public Sha1 digest() {
            return digest;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FlowId other
                    && d0 == other.d0
                    && d1 == other.d1
                    && d2 == other.d2
                    && agentId.equals(other.agentId);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return agentId + "/" + digest;
        }
    }

    /**
     * A flow's entry: its state if any, its timer if any, and its neighbours among those due then.
     */
    private static final class Entry {
        final FlowId id;

        /** The id's hash, here to pass over other entries without reading their ids. */
        final int hash;

        FlowState flow;

        /** The flows due at its timer's time, or null without a timer. */
        Due due;

        Entry earlier;
        Entry later;

        Entry(FlowId id) {
            this.id = id;
            this.hash = id.hash;
        }
    }

    /** The flows due at one time, in the order their timers were set. */
    private static final class Due {
        final long timeMs;
        Entry first;
        Entry last;

        Due(long timeMs) {
            this.timeMs = timeMs;
        }
    }

    /** The entries, at their ids' hashes or the first free slot after; a power of two long. */
    private Entry[] slots = new Entry[64];

    private int entryCount;
    private final TreeMap<Long, Due> timers = new TreeMap<>();
    private int flowCount;
    private int timerCount;

    /** The entry looked up last, or null. */
    private Entry last;

    /** The slot of the id's entry, or of the free slot that ends its probe. */
    private int slot(FlowId id) {
        Entry[] t = slots;
        int mask = t.length - 1;
        int h = id.hash;
        int i = spread(h) & mask;
        for (Entry e = t[i]; e != null; e = t[i]) {
            if (e.hash == h && e.id.equals(id)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return i;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private Entry find(FlowId id) {
        Entry e = last;
        if (e != null && e.id == id) {
            return e;
        }
        e = slots[slot(id)];
        if (e != null) {
            last = e;
        }
        return e;
    }

    private Entry findOrAdd(FlowId id) {
        Entry e = find(id);
        if (e == null) {
            if (2 * (entryCount + 1) > slots.length) {
                grow();
            }
            e = new Entry(id);
            slots[slot(id)] = e;
            entryCount++;
            last = e;
        }
        return e;
    }

    private void grow() {
        Entry[] old = slots;
        slots = new Entry[old.length * 2];
        int mask = slots.length - 1;
        for (Entry e : old) {
            if (e != null) {
                int i = spread(e.hash) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = e;
            }
        }
    }

    /** Drops the entry once it holds neither a flow nor a timer. */
    private void dropIfEmpty(Entry e) {
        if (e.flow == null && e.due == null) {
            removeAt(slot(e.id));
            entryCount--;
            if (last == e) {
                last = null;
            }
        }
    }

    /**
     * Empties slot {@code i}, moving back later entries of its run that would otherwise no longer
     * be reached from their hash's slot.
     */
    private void removeAt(int i) {
        Entry[] t = slots;
        int mask = t.length - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Entry e = t[j];
            if (e == null) {
                break;
            }
            int home = spread(e.hash) & mask;
            // e may move to i unless its home lies cyclically in (i, j].
            boolean reachable = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!reachable) {
                t[i] = e;
                i = j;
            }
        }
        t[i] = null;
    }

    public FlowState get(FlowId id) {
        Entry e = find(id);
        return e == null ? null : e.flow;
    }

    public void put(FlowId id, FlowState flow) {
        if (flow == null) {
            remove(id);
            return;
        }
        Entry e = findOrAdd(id);
        if (e.flow == null) {
            flowCount++;
        }
        e.flow = flow;
    }

    public void remove(FlowId id) {
        Entry e = find(id);
        if (e != null && e.flow != null) {
            e.flow = null;
            flowCount--;
            dropIfEmpty(e);
        }
    }

    public int size() {
        return flowCount;
    }

    /** Gives every open flow with its key to {@code action}, for a snapshot. */
    public void forEach(BiConsumer<FlowId, FlowState> action) {
        for (Entry e : slots) {
            if (e != null && e.flow != null) {
                action.accept(e.id, e.flow);
            }
        }
    }

    /**
     * Sets the flow's timer at {@code timeMs}: nothing if it is set there already; moved there if
     * it is set at another time.
     */
    public void registerTimer(FlowId id, long timeMs) {
        Entry e = findOrAdd(id);
        if (e.due != null) {
            if (e.due.timeMs == timeMs) {
                return;
            }
            unlinkTimer(e);
        }
        Due due = timers.computeIfAbsent(timeMs, Due::new);
        e.earlier = due.last;
        e.later = null;
        if (due.last == null) {
            due.first = e;
        } else {
            due.last.later = e;
        }
        due.last = e;
        e.due = due;
        timerCount++;
    }

    /** Removes the flow's timer at {@code timeMs}; nothing if it has none then. */
    public void deleteTimer(FlowId id, long timeMs) {
        Entry e = find(id);
        if (e != null && e.due != null && e.due.timeMs == timeMs) {
            unlinkTimer(e);
            dropIfEmpty(e);
        }
    }

    private void unlinkTimer(Entry e) {
        Due due = e.due;
        if (e.earlier == null) {
            due.first = e.later;
        } else {
            e.earlier.later = e.later;
        }
        if (e.later == null) {
            due.last = e.earlier;
        } else {
            e.later.earlier = e.earlier;
        }
        if (due.first == null) {
            timers.remove(due.timeMs);
        }
        e.earlier = null;
        e.later = null;
        e.due = null;
        timerCount--;
    }

    /** Timers set and not yet fired or deleted. */
    public int timerCount() {
        return timerCount;
    }

    /** The time of the earliest timer, or {@link Long#MAX_VALUE} with none (or one then). */
    public long nextTimerMs() {
        return timers.isEmpty() ? Long.MAX_VALUE : timers.firstKey();
    }

    /**
     * Removes the earliest timer and returns its flow. Timers set while others fire take their
     * place in the order: one set for the time now firing fires after those already due then.
     *
     * @throws java.util.NoSuchElementException with no timer set
     */
    public FlowId pollTimer() {
        Map.Entry<Long, Due> first = timers.firstEntry();
        if (first == null) {
            throw new java.util.NoSuchElementException("no timer set");
        }
        Entry e = first.getValue().first;
        unlinkTimer(e);
        dropIfEmpty(e);
        if (e.flow != null) {
            last = e;
        }
        return e.id;
    }
}
