package io.flowtap.capture.decode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the ports of recently seen first fragments so that later fragments of the same datagram
 * (same addresses, protocol and identification) join the same flow. Bounded: the least recently
 * used entries are dropped first, and entries older than {@link #MAX_AGE_NANOS} are ignored.
 */
final class FragmentTable {
    private static final int MAX_ENTRIES = 4096;
    private static final long MAX_AGE_NANOS = 30_000_000_000L;

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

    private final Map<Key, long[]> entries =
            new LinkedHashMap<>(256, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, long[]> eldest) {
                    return size() > MAX_ENTRIES;
                }
            };

    void remember(DecodedPacket p) {
        entries.put(key(p), new long[] {p.srcPort, p.dstPort, p.timestampNanos});
    }

    /** Sets the ports of a later fragment; returns false when its first fragment is unknown. */
    boolean lookup(DecodedPacket p) {
        long[] v = entries.get(key(p));
        if (v == null || p.timestampNanos - v[2] > MAX_AGE_NANOS) {
            return false;
        }
        p.srcPort = (int) v[0];
        p.dstPort = (int) v[1];
        return true;
    }

    private static Key key(DecodedPacket p) {
        int n = p.addrLength;
        byte[] k = new byte[2 * n + 1 + 8];
        System.arraycopy(p.srcAddr, 0, k, 0, n);
        System.arraycopy(p.dstAddr, 0, k, n, n);
        k[2 * n] = (byte) p.ipProtocol;
        long id = p.fragmentId;
        for (int i = 0; i < 8; i++) {
            k[2 * n + 1 + i] = (byte) (id >>> (8 * i));
        }
        return new Key(k);
    }
}
