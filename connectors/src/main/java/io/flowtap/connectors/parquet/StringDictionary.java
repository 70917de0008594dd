package io.flowtap.connectors.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The dictionary of a string (BINARY) column chunk: each distinct string's index, in the order
 * first seen, its UTF-8 bytes, and the dictionary page (lengths and bytes) built as it grows.
 * Looked up by the string itself, whose hash Java keeps once computed: the same names repeat as the
 * same objects (protocol and application names), so a repeated value costs neither a hash nor an
 * encoding.
 */
final class StringDictionary {
    private String[] entries = new String[256];
    private byte[][] utf8 = new byte[256][];

    /** Size of the dictionary page after each entry. */
    private int[] pageEnd = new int[256];

    private int size;

    /** Index + 1 of the entry in each slot; 0 for an empty slot. */
    private int[] slots = new int[512];

    private final ByteBuilder page = new ByteBuilder(4096);

    int size() {
        return size;
    }

    ByteBuilder page() {
        return page;
    }

    byte[] utf8(int index) {
        return utf8[index];
    }

    /** The index of {@code value}, added if new. */
    int indexOf(String value) {
        int mask = slots.length - 1;
        int slot = spread(value.hashCode()) & mask;
        while (true) {
            int s = slots[slot];
            if (s == 0) {
                return add(value, slot);
            }
            if (entries[s - 1].equals(value)) {
                return s - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int add(String value, int slot) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
            utf8 = Arrays.copyOf(utf8, size * 2);
            pageEnd = Arrays.copyOf(pageEnd, size * 2);
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        entries[size] = value;
        utf8[size] = bytes;
        page.writeInt(bytes.length);
        page.write(bytes, 0, bytes.length);
        pageEnd[size] = page.size();
        slots[slot] = ++size;
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return size - 1;
    }

    /** Keeps only the first {@code n} entries. */
    void truncate(int n) {
        Arrays.fill(entries, n, size, null);
        Arrays.fill(utf8, n, size, null);
        size = n;
        page.truncate(n == 0 ? 0 : pageEnd[n - 1]);
        rehash(slots.length);
    }

    void clear() {
        truncate(0);
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < size; i++) {
            int slot = spread(entries[i].hashCode()) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
