package io.flowtap.connectors.parquet;

import java.util.Arrays;

/**
 * The dictionary of an INT32 or INT64 column chunk: each distinct value's index, in the order the
 * values were first seen, and the dictionary page (the values plainly encoded) built as it grows.
 * An open-addressing table, so that a lookup allocates nothing.
 */
final class IntegerDictionary {
    private final int width;
    private long[] entries = new long[256];
    private int size;

    /** Index + 1 of the entry in each slot; 0 for an empty slot. */
    private int[] slots = new int[512];

    private final ByteBuilder page = new ByteBuilder(1024);

    /**
     * @param width 4 for INT32, 8 for INT64
     */
    IntegerDictionary(int width) {
        this.width = width;
    }

    int size() {
        return size;
    }

    ByteBuilder page() {
        return page;
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
        slots[slot] = ++size;
        if (width == 4) {
            page.writeInt((int) value);
        } else {
            page.writeLong(value);
        }
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return size - 1;
    }

    /** Keeps only the first {@code n} entries. */
    void truncate(int n) {
        size = n;
        page.truncate(n * width);
        rehash(slots.length);
    }

    void clear() {
        truncate(0);
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < size; i++) {
            int slot = hash(entries[i]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
    }

    private static int hash(long v) {
        long h = v * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
