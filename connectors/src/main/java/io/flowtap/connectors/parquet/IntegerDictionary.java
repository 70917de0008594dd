package io.flowtap.connectors.parquet;

import java.util.Arrays;

/** The dictionary of an INT32 or INT64 column chunk. */
final class IntegerDictionary extends ColumnDictionary {
    private final int width;
    private long[] entries = new long[256];

    /**
     * @param width 4 for INT32, 8 for INT64
     */
    IntegerDictionary(int width) {
        super(new ByteBuilder(1024));
        this.width = width;
    }

    long entry(int index) {
        return entries[index];
    }

    /** The index of {@code value}, added if new. */
    int indexOf(long value) {
        int mask = slots.length - 1;
        int slot = hash(value) & mask;
        while (true) {
            int s = slots[slot];
            if (s == 0) {
                return add(value, slot);
            }
            if (entries[s - 1] == value) {
                return s - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int add(long value, int slot) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size] = value;
        if (width == 4) {
            page.writeInt((int) value);
        } else {
            page.writeLong(value);
        }
        return added(slot);
    }

    @Override
    void truncate(int n) {
        size = n;
        page.truncate(n * width);
        rehash(slots.length);
    }

    @Override
    int hash(int index) {
        return hash(entries[index]);
    }

    private static int hash(long v) {
        long h = v * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
