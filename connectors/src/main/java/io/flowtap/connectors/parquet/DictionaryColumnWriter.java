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
 *
 * <p>A value is looked up in the dictionary (or plainly encoded, once the dictionary is off) as it
 * is added: a page holds indices or bytes, no reference to the rows it came from, which would keep
 * them alive through a collection.
 */
abstract class DictionaryColumnWriter extends ColumnChunkWriter {
    private final int maxDictionaryBytes;
    private final ColumnDictionary dictionary;
    private final boolean dictionaryAllowed;
    private boolean dictionaryOn;

    /** The current page's values as dictionary indices, while the dictionary is on. */
    int[] indices = new int[1024];

    /** Values in the current page. */
    int count;

    /** Dictionary entries when the current page started: those it added go if it falls back. */
    private int entriesBeforePage;

    /** The page in which each dictionary index was last noted. */
    private int[] seen = new int[256];

    private int stamp;

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

    /** Whether the current page's values are kept as dictionary indices. */
    final boolean dictionaryOn() {
        return dictionaryOn;
    }

    /** Appends an index to the current page. */
    final void addIndex(int index) {
        if (count == indices.length) {
            indices = Arrays.copyOf(indices, count * 2);
        }
        indices[count++] = index;
    }

    /**
     * Appends the page's values plainly encoded, noting each for the page's statistics: from the
     * dictionary entries of {@link #indices} while the dictionary is on, else what was encoded as
     * the values came.
     */
    abstract void encodePlain(ByteBuilder out);

    /** Notes the value of a dictionary index in the current page, for its statistics. */
    abstract void noteIndex(int index);

    @Override
    final Encoding encodeValues(ByteBuilder out, boolean firstPage) {
        int n = count;
        if (n == 0) {
            return Encoding.PLAIN;
        }
        if (!dictionaryOn) {
            encodePlain(out);
            return Encoding.PLAIN;
        }
        if (dictionary.page().size() > maxDictionaryBytes) {
            // This page's values are encoded from its entries before they go.
            encodePlain(out);
            dictionary.truncate(entriesBeforePage);
            dictionaryOn = false;
            return Encoding.PLAIN;
        }
        int start = out.size();
        int width = HybridEncoder.bitWidth(dictionary.size() - 1);
        out.writeByte(width);
        HybridEncoder.encode(indices, n, width, out);
        if (!firstPage || out.size() - start + dictionary.page().size() < pageValueBytes()) {
            noteIndices(n);
            return Encoding.PLAIN_DICTIONARY;
        }
        out.truncate(start);
        encodePlain(out);
        dictionary.clear();
        dictionaryOn = false;
        return Encoding.PLAIN;
    }

    /** Notes each distinct index of the page once. */
    private void noteIndices(int n) {
        int entries = dictionary.size();
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
    void resetPageValues() {
        count = 0;
        entriesBeforePage = dictionary.size();
    }

    @Override
    final ByteBuilder dictionary() {
        return dictionary.size() == 0 ? null : dictionary.page();
    }

    @Override
    final int dictionarySize() {
        return dictionary.size();
    }

    @Override
    final void resetDictionary() {
        dictionary.clear();
        dictionaryOn = dictionaryAllowed;
        entriesBeforePage = 0;
        Arrays.fill(seen, 0);
        stamp = 0;
    }
}
