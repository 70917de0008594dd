package io.flowtap.capture.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A bounded table of flows by key bytes that lets the least recently used flow go when full: what
 * an access-ordered {@code LinkedHashMap} does, without a key object, a map entry and a copy of the
 * key per flow, and with the key hashed eight bytes at a time. A flow's node holds its own key and
 * its links in the use order; the table is open-addressed with linear probing and keeps each slot's
 * hash beside it, so a probe compares keys only on equal hashes. Not thread-safe.
 *
 * @param <N> the flows' nodes
 */
final class RecentFlows<N extends RecentFlows.Node> {
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A flow in the table: its key, and its place in the order of use. */
    abstract static class Node {
        private byte[] key;
        private int hash;
        private Node older;
        private Node newer;
    }

    /** Told of a flow the table lets go to make room for a new one. */
    interface Eviction<N> {
        void evicted(N node);
    }

    private final int maxFlows;
    private final Eviction<N> eviction;
    private Node[] slots = new Node[1024];
    private int[] hashes = new int[1024];
    private int size;

    /** The least recently used flow, and the most. */
    private Node oldest;

    private Node newest;

    RecentFlows(int maxFlows, Eviction<N> eviction) {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows must be at least 1, got " + maxFlows);
        }
        this.maxFlows = maxFlows;
        this.eviction = eviction;
    }

    int size() {
        return size;
    }

    /** The hash of the first {@code length} bytes of {@code key}, as {@link #get} takes it. */
    static int hash(byte[] key, int length) {
        long h = length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(key, i) * 0x9E3779B97F4A7C15L), 29);
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (key[i] & 0xffL) << shift;
        }
        h = (h ^ tail * 0xC2B2AE3D27D4EB4FL) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * The flow of the first {@code length} bytes of {@code key} (hashed by {@link #hash}), made the
     * most recently used; null if there is none.
     */
    @SuppressWarnings("unchecked")
    N get(byte[] key, int length, int hash) {
        int mask = slots.length - 1;
        for (int i = hash & mask; slots[i] != null; i = (i + 1) & mask) {
            Node node = slots[i];
            if (hashes[i] == hash && Arrays.equals(node.key, 0, node.key.length, key, 0, length)) {
                use(node);
                return (N) node;
            }
        }
        return null;
    }

    /**
     * Adds {@code node} as the flow of the first {@code length} bytes of {@code key}, which has
     * none yet, as the most recently used; lets the least recently used flow go if there are more
     * than {@code maxFlows} then.
     */
    @SuppressWarnings("unchecked")
    void put(byte[] key, int length, int hash, N flow) {
        Node node = flow;
        node.key = Arrays.copyOf(key, length);
        node.hash = hash;
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        insert(node);
        size++;
        link(node);
        if (size > maxFlows) {
            Node eldest = oldest;
            remove(eldest);
            eviction.evicted((N) eldest);
        }
    }

    private void insert(Node node) {
        int mask = slots.length - 1;
        int i = node.hash & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = node;
        hashes[i] = node.hash;
    }

    private void grow() {
        Node[] old = slots;
        slots = new Node[old.length * 2];
        hashes = new int[old.length * 2];
        for (Node node : old) {
            if (node != null) {
                insert(node);
            }
        }
    }

    private void remove(Node node) {
        int mask = slots.length - 1;
        int i = node.hash & mask;
        while (slots[i] != node) {
            i = (i + 1) & mask;
        }
        // Backward shift: later nodes of the run move up unless already at or after their home.
        int gap = i;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                slots[gap] = slots[j];
                hashes[gap] = hashes[j];
                gap = j;
            }
        }
        slots[gap] = null;
        size--;
        unlink(node);
    }

    private void use(Node node) {
        if (node != newest) {
            unlink(node);
            link(node);
        }
    }

    private void link(Node node) {
        node.older = newest;
        node.newer = null;
        if (newest == null) {
            oldest = node;
        } else {
            newest.newer = node;
        }
        newest = node;
    }

    private void unlink(Node node) {
        if (node.older == null) {
            oldest = node.newer;
        } else {
            node.older.newer = node.newer;
        }
        if (node.newer == null) {
            newest = node.older;
        } else {
            node.newer.older = node.older;
        }
        node.older = null;
        node.newer = null;
    }
}
