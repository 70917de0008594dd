package io.flowtap.flow;

import io.flowtap.schema.Sha1;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Open flows by agent and digest, and one event-time timer per flow at most, with the semantics of
 * Flink's keyed timers: a timer is set per key and time (setting it twice sets it once), a deleted
 * timer never fires, and timers fire in the order of their times; timers of one time fire in the
 * order they were set. Not thread-safe.
 *
 * <p>Timers fall on the flows' tick times, so few distinct times are pending at once, each with
 * many flows: a sorted map of times to the flows due then, where Flink keeps a heap of one entry
 * per timer beside a set per key group to find them again.
 */
public final class FlowTable {
    /**
     * A flow's key: the agent whose packets it has and the digest of its five-tuple. Its hash is
     * computed once: the digest's own hash reads all its bytes, and a table key is hashed again
     * when its timer is removed or the table grows.
     */
    public static final class FlowId {
        private final String agentId;
        private final Sha1 digest;
        private final int hash;

        public FlowId(String agentId, Sha1 digest) {
            this.agentId = agentId;
            this.digest = digest;
            this.hash = 31 * agentId.hashCode() + Arrays.hashCode(digest.bytes());
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
                    && hash == other.hash
                    && Arrays.equals(digest.bytes(), other.digest.bytes())
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

    private final Map<FlowId, FlowState> flows = new HashMap<>();
    private final TreeMap<Long, LinkedHashSet<FlowId>> timers = new TreeMap<>();
    private int timerCount;

    public FlowState get(FlowId id) {
        return flows.get(id);
    }

    public void put(FlowId id, FlowState flow) {
        flows.put(id, flow);
    }

    public void remove(FlowId id) {
        flows.remove(id);
    }

    public int size() {
        return flows.size();
    }

    /** Every open flow with its key, for a snapshot. */
    public Iterable<Map.Entry<FlowId, FlowState>> entries() {
        return flows.entrySet();
    }

    /** Sets the flow's timer at {@code timeMs}; nothing if it is set already. */
    public void registerTimer(FlowId id, long timeMs) {
        if (timers.computeIfAbsent(timeMs, t -> new LinkedHashSet<>()).add(id)) {
            timerCount++;
        }
    }

    /** Removes the flow's timer at {@code timeMs}; nothing if there is none. */
    public void deleteTimer(FlowId id, long timeMs) {
        LinkedHashSet<FlowId> due = timers.get(timeMs);
        if (due != null && due.remove(id)) {
            timerCount--;
            if (due.isEmpty()) {
                timers.remove(timeMs);
            }
        }
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
        Map.Entry<Long, LinkedHashSet<FlowId>> first = timers.firstEntry();
        if (first == null) {
            throw new java.util.NoSuchElementException("no timer set");
        }
        LinkedHashSet<FlowId> due = first.getValue();
        Iterator<FlowId> it = due.iterator();
        FlowId id = it.next();
        it.remove();
        timerCount--;
        if (due.isEmpty()) {
            timers.remove(first.getKey());
        }
        return id;
    }
}
