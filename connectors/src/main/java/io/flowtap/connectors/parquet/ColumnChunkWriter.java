package io.flowtap.connectors.parquet;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.schema.PrimitiveType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One column of a row group being written: the current page's levels and values, then the finished
 * pages, compressed, until the row group is written out. Pages are version 1 data pages: repetition
 * and definition levels, each as a length and an RLE/bit-packed hybrid run, then the values, the
 * whole compressed. A subclass keeps the values of its physical type and chooses their encoding.
 */
abstract class ColumnChunkWriter {
    final ColumnDescriptor column;
    final PrimitiveType type;
    private final int maxRepetition;
    private final int maxDefinition;
    private final PageCompressor compressor;

    private int[] repetition = new int[64];
    private int[] definition = new int[64];

    /** Level entries (values and nulls) in the current page. */
    private int entries;

    private int pageRows;
    private int pageNulls;

    /** What the current page's values take plainly encoded; kept up to date by subclasses. */
    long pageValueBytes;

    private final List<EncodedPage> pages = new ArrayList<>();
    private long chunkEntries;
    private long compressedBytes;

    private final ByteBuilder page = new ByteBuilder(1 << 16);

    ColumnChunkWriter(ColumnDescriptor column, PageCompressor compressor) {
        this.column = column;
        this.type = column.getPrimitiveType();
        this.maxRepetition = column.getMaxRepetitionLevel();
        this.maxDefinition = column.getMaxDefinitionLevel();
        this.compressor = compressor;
    }

    final int maxDefinition() {
        return maxDefinition;
    }

    /**
     * Records the levels of the next entry; a value follows unless it is a null. Levels whose
     * maximum is 0 are not written to a page, so they are not kept either (most columns are not
     * repeated, and some required).
     */
    final void levels(int repetitionLevel, int definitionLevel) {
        int e = entries;
        if (maxRepetition > 0) {
            if (e == repetition.length) {
                repetition = Arrays.copyOf(repetition, e * 2);
            }
            repetition[e] = repetitionLevel;
        }
        if (maxDefinition > 0) {
            if (e == definition.length) {
                definition = Arrays.copyOf(definition, e * 2);
            }
            definition[e] = definitionLevel;
        }
        entries = e + 1;
    }

    /** An entry without a value: a null, or an empty list, at {@code definitionLevel}. */
    final void addNull(int repetitionLevel, int definitionLevel) {
        levels(repetitionLevel, definitionLevel);
        pageNulls++;
    }

    /** Ends the current row. */
    final void endRow() {
        pageRows++;
    }

    final int pageRows() {
        return pageRows;
    }

    /** What the current page's values would take plainly encoded. */
    final long pageValueBytes() {
        return pageValueBytes;
    }

    /** Compressed pages and dictionary held for the row group so far, plus the open page. */
    final long bufferedBytes() {
        return compressedBytes + dictionaryBytes() + pageValueBytes + entries;
    }

    /** Encodes, compresses and keeps the current page, if it has any entry. */
    final void endPage() throws IOException {
        if (entries == 0) {
            return;
        }
        page.reset();
        if (maxRepetition > 0) {
            levelRuns(repetition, maxRepetition);
        }
        if (maxDefinition > 0) {
            levelRuns(definition, maxDefinition);
        }
        Encoding encoding = encodeValues(page, pages.isEmpty());
        Statistics<?> statistics = pageStatistics(pageNulls);
        byte[] data = compressor.compress(page.array(), page.size());
        pages.add(new EncodedPage(data, page.size(), entries, pageRows, statistics, encoding));
        compressedBytes += data.length;
        chunkEntries += entries;
        entries = 0;
        pageRows = 0;
        pageNulls = 0;
        pageValueBytes = 0;
        resetPageValues();
    }

    private void levelRuns(int[] levels, int max) {
        int lengthAt = page.size();
        page.writeInt(0);
        HybridEncoder.encode(levels, entries, HybridEncoder.bitWidth(max), page);
        page.setInt(lengthAt, page.size() - lengthAt - 4);
    }

    /**
     * Appends the current page's values to {@code out} and says how they are encoded.
     *
     * @param firstPage whether this is the first page of the column chunk
     */
    abstract Encoding encodeValues(ByteBuilder out, boolean firstPage);

    /** Minimum, maximum and nulls of the current page's values. */
    abstract Statistics<?> pageStatistics(int nulls);

    abstract void resetPageValues();

    /** The plain-encoded dictionary of this chunk's dictionary-encoded pages, or null. */
    abstract ByteBuilder dictionary();

    abstract int dictionarySize();

    private long dictionaryBytes() {
        ByteBuilder d = dictionary();
        return d == null ? 0 : d.size();
    }

    /** Forgets the chunk's dictionary: the next row group starts one of its own. */
    abstract void resetDictionary();

    /** Writes the chunk's pages (the current one must have ended) and starts a new chunk. */
    final void writeTo(ParquetFileWriter file) throws IOException {
        file.startColumn(column, chunkEntries, compressor.codec());
        ByteBuilder dictionary = dictionary();
        if (dictionary != null) {
            byte[] data = compressor.compress(dictionary.array(), dictionary.size());
            file.writeDictionaryPage(
                    new DictionaryPage(
                            BytesInput.from(data),
                            dictionary.size(),
                            dictionarySize(),
                            Encoding.PLAIN_DICTIONARY));
        }
        Encoding repetitionEncoding = maxRepetition > 0 ? Encoding.RLE : Encoding.BIT_PACKED;
        Encoding definitionEncoding = maxDefinition > 0 ? Encoding.RLE : Encoding.BIT_PACKED;
        for (EncodedPage p : pages) {
            file.writeDataPage(
                    p.entries,
                    p.uncompressedSize,
                    BytesInput.from(p.data),
                    p.statistics,
                    p.rows,
                    repetitionEncoding,
                    definitionEncoding,
                    p.encoding,
                    null,
                    null);
        }
        file.endColumn();
        pages.clear();
        chunkEntries = 0;
        compressedBytes = 0;
        resetDictionary();
    }

    /** Statistics of a page from its minimum and maximum in Parquet's plain encoding. */
    final Statistics<?> statistics(byte[] min, byte[] max, int nulls) {
        Statistics.Builder b = Statistics.getBuilderForReading(type).withNumNulls(nulls);
        if (min != null) {
            b.withMin(min).withMax(max);
        }
        return b.build();
    }

    private static final class EncodedPage {
        final byte[] data;
        final int uncompressedSize;
        final int entries;
        final int rows;
        final Statistics<?> statistics;
        final Encoding encoding;

        EncodedPage(
                byte[] data,
                int uncompressedSize,
                int entries,
                int rows,
                Statistics<?> statistics,
                Encoding encoding) {
            this.data = data;
            this.uncompressedSize = uncompressedSize;
            this.entries = entries;
            this.rows = rows;
            this.statistics = statistics;
            this.encoding = encoding;
        }
    }
}
