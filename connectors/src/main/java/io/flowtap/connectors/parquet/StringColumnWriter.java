package io.flowtap.connectors.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A string column (BINARY, UTF-8), dictionary or plain. Minimum and maximum compare the UTF-8 bytes
 * unsigned, Parquet's order for strings.
 */
final class StringColumnWriter extends DictionaryColumnWriter {
    private final StringDictionary dictionary;
    private String[] values = new String[1024];
    private int count;
    private byte[] min;
    private byte[] max;

    StringColumnWriter(
            ColumnDescriptor column,
            PageCompressor compressor,
            boolean dictionary,
            int maxDictionaryBytes) {
        this(column, compressor, new StringDictionary(), dictionary, maxDictionaryBytes);
    }

    private StringColumnWriter(
            ColumnDescriptor column,
            PageCompressor compressor,
            StringDictionary dictionary,
            boolean dictionaryAllowed,
            int maxDictionaryBytes) {
        super(column, compressor, dictionary, dictionaryAllowed, maxDictionaryBytes);
        if (column.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY) {
            throw new IllegalArgumentException("not a binary column: " + column);
        }
        this.dictionary = dictionary;
    }

    void add(String value, int repetitionLevel, int definitionLevel) {
        levels(repetitionLevel, definitionLevel);
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = value;
        // Bytes of plain encoding; exact for ASCII, which is what the page size needs.
        pageValueBytes += 4 + value.length();
    }

    @Override
    int pageValues() {
        return count;
    }

    @Override
    int index(int i) {
        return dictionary.indexOf(values[i]);
    }

    @Override
    void encodePlain(ByteBuilder out) {
        for (int i = 0; i < count; i++) {
            byte[] utf8 = values[i].getBytes(StandardCharsets.UTF_8);
            note(utf8);
            out.writeInt(utf8.length);
            out.write(utf8, 0, utf8.length);
        }
    }

    @Override
    void noteIndex(int index) {
        note(dictionary.utf8(index));
    }

    private void note(byte[] v) {
        if (min == null) {
            min = v;
            max = v;
        } else if (Arrays.compareUnsigned(v, min) < 0) {
            min = v;
        } else if (Arrays.compareUnsigned(v, max) > 0) {
            max = v;
        }
    }

    @Override
    Statistics<?> pageStatistics(int nulls) {
        return statistics(min, max, nulls);
    }

    @Override
    void resetPageValues() {
        Arrays.fill(values, 0, count, null);
        count = 0;
        min = null;
        max = null;
    }
}
