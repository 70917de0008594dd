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

    /** The current page's values plainly encoded, once the dictionary is off. */
    private final ByteBuilder plain = new ByteBuilder(1 << 16);

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
        if (dictionaryOn()) {
            int index = dictionary.indexOf(value);
            addIndex(index);
            pageValueBytes += 4 + dictionary.utf8(index).length;
        } else {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            note(utf8);
            plain.writeInt(utf8.length);
            plain.write(utf8, 0, utf8.length);
            count++;
            pageValueBytes += 4 + utf8.length;
        }
    }

    @Override
    void encodePlain(ByteBuilder out) {
        if (!dictionaryOn()) {
            out.write(plain);
            return;
        }
        for (int i = 0; i < count; i++) {
            byte[] utf8 = dictionary.utf8(indices[i]);
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
        super.resetPageValues();
        plain.reset();
        min = null;
        max = null;
    }
}
