package io.flowtap.connectors.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The dictionary of a string (BINARY) column chunk, with each entry's UTF-8 bytes. Looked up by the
 * string itself, whose hash Java keeps once computed: names that repeat as the same objects
 * (protocol and application names) cost neither a hash nor an encoding.
 */
final class StringDictionary extends ColumnDictionary {
    private String[] entries = new String[256];
    private byte[][] utf8 = new byte[256][];

    /** Size of the dictionary page after each entry. */
    private int[] pageEnd = new int[256];

    StringDictionary() {
        super(new ByteBuilder(4096));
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
        return added(slot);
    }

    @Override
    void truncate(int n) {
        Arrays.fill(entries, n, size, null);
        Arrays.fill(utf8, n, size, null);
        size = n;
        page.truncate(n == 0 ? 0 : pageEnd[n - 1]);
        rehash(slots.length);
    }

    @Override
    int hash(int index) {
        return spread(entries[index].hashCode());
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
