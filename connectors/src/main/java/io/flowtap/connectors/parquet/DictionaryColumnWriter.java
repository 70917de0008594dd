package io.flowtap.connectors.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;

import java.util.Arrays;

/**
 * A column whose pages are dictionary-encoded while that pays, else plain. A chunk starts with a
 * dictionary; it falls back to plain pages for the rest of the chunk when the dictionary would
 * outgrow its page size, and for the whole chunk when the first page's indices and the dictionary
 * together take no less than the plain values (values that rarely repeat). Pages already written
 * keep their indices; the dictionary page holds the entries they use.
 */
abstract class DictionaryColumnWriter extends ColumnChunkWriter {
    private final int maxDictionaryBytes;
    private boolean dictionaryOn;
    private final boolean dictionaryAllowed;
    private int[] indices = new int[1024];

    /** The page in which each dictionary index was last noted. */
    private int[] seen = new int[256];

    private int stamp;

    private final ColumnDictionary dictionary;

    DictionaryColumnWriter(
            ColumnDescriptor column,
            PageCompressor compressor,
            ColumnDictionary dictionary,
            boolean dictionaryAllowed,
            int maxDictionaryBytes) {
        super(column, compressor);
        this.dictionary = dictionary;
        this.dictionaryAllowed = dictionaryAllowed;
        this.dictionaryOn = dictionaryAllowed;
        this.maxDictionaryBytes = maxDictionaryBytes;
    }

    /** Values in the current page. */
    abstract int pageValues();

    /** The dictionary index of the page's value {@code i}, added to the dictionary if new. */
    abstract int index(int i);

    private int dictionaryEntries() {
        return dictionary.size();
    }

    private int dictionaryPageBytes() {
        return dictionary.page().size();
    }

    private void truncateDictionary(int entries) {
        dictionary.truncate(entries);
    }

    /** Appends the page's values plainly encoded, noting each for the page's statistics. */
    abstract void encodePlain(ByteBuilder out);

    /** Notes the value of a dictionary index in the current page, for its statistics. */
    abstract void noteIndex(int index);

    @Override
    final Encoding encodeValues(ByteBuilder out, boolean firstPage) {
        int n = pageValues();
        if (n == 0) {
            return Encoding.PLAIN;
        }
        if (dictionaryOn) {
            int before = dictionaryEntries();
            if (indices.length < n) {
                indices = new int[Math.max(n, indices.length * 2)];
            }
            for (int i = 0; i < n; i++) {
                indices[i] = index(i);
            }
            if (dictionaryPageBytes() > maxDictionaryBytes) {
                truncateDictionary(before);
                dictionaryOn = false;
            } else {
                int start = out.size();
                int width = HybridEncoder.bitWidth(dictionaryEntries() - 1);
                out.writeByte(width);
                HybridEncoder.encode(indices, n, width, out);
                if (!firstPage || out.size() - start + dictionaryPageBytes() < pageValueBytes()) {
                    noteIndices(n);
                    return Encoding.PLAIN_DICTIONARY;
                }
                out.truncate(start);
                truncateDictionary(0);
                dictionaryOn = false;
            }
        }
        encodePlain(out);
        return Encoding.PLAIN;
    }

    /** Notes each distinct index of the page once. */
    private void noteIndices(int n) {
        int entries = dictionaryEntries();
        if (seen.length < entries) {
            seen = new int[Math.max(entries, seen.length * 2)];
        }
        stamp++;
        for (int i = 0; i < n; i++) {
            int index = indices[i];
            if (seen[index] != stamp) {
                seen[index] = stamp;
                noteIndex(index);
            }
        }
    }

    @Override
    final ByteBuilder dictionary() {
        return dictionaryEntries() == 0 ? null : dictionary.page();
    }

    @Override
    final int dictionarySize() {
        return dictionaryEntries();
    }

    @Override
    final void resetDictionary() {
        truncateDictionary(0);
        dictionaryOn = dictionaryAllowed;
        Arrays.fill(seen, 0);
        stamp = 0;
    }
}
