package io.flowtap.connectors.parquet;

/**
 * A column chunk's dictionary: each distinct value's index, in the order the values were first
 * seen, found through an open-addressing table (a lookup allocates nothing), and the dictionary
 * page (the entries plainly encoded) built as entries are added. A subclass keeps the entries of
 * its type and looks them up.
 */
abstract class ColumnDictionary {
    /** Index + 1 of the entry in each slot; 0 for an empty slot. */
    int[] slots = new int[512];

    int size;
    final ByteBuilder page;

    ColumnDictionary(ByteBuilder page) {
        this.page = page;
    }

    final int size() {
        return size;
    }

    /** The entries plainly encoded, in index order. */
    final ByteBuilder page() {
        return page;
    }

    /** The table hash of entry {@code index}. */
    abstract int hash(int index);

    /** Keeps only the first {@code n} entries (their page included). */
    abstract void truncate(int n);

    final void clear() {
        truncate(0);
    }

    /** Puts the entry just appended at index {@code size} into {@code slot}. */
    final int added(int slot) {
        slots[slot] = ++size;
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return size - 1;
    }

    /** Rebuilds the table at {@code capacity} slots from the entries. */
    final void rehash(int capacity) {
        slots = new int[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < size; i++) {
            int slot = hash(i) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
    }
}
