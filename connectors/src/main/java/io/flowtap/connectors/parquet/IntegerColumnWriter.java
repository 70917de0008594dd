package io.flowtap.connectors.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

import java.util.Arrays;

/** An INT32 or INT64 column (ints, longs, timestamps): signed values, dictionary or plain. */
final class IntegerColumnWriter extends DictionaryColumnWriter {
    private final int width;
    private final IntegerDictionary dictionary;

    /** The current page's values, once the dictionary is off. */
    private long[] values = new long[1024];

    private long min;
    private long max;
    private boolean any;

    IntegerColumnWriter(
            ColumnDescriptor column,
            PageCompressor compressor,
            boolean dictionary,
            int maxDictionaryBytes) {
        this(
                column,
                compressor,
                new IntegerDictionary(width(column)),
                dictionary,
                maxDictionaryBytes);
    }

    private IntegerColumnWriter(
            ColumnDescriptor column,
            PageCompressor compressor,
            IntegerDictionary dictionary,
            boolean dictionaryAllowed,
            int maxDictionaryBytes) {
        super(column, compressor, dictionary, dictionaryAllowed, maxDictionaryBytes);
        this.width = width(column);
        this.dictionary = dictionary;
    }

    /** 4 bytes a value for INT32, 8 for INT64. */
    private static int width(ColumnDescriptor column) {
        PrimitiveTypeName t = column.getPrimitiveType().getPrimitiveTypeName();
        if (t != PrimitiveTypeName.INT32 && t != PrimitiveTypeName.INT64) {
            throw new IllegalArgumentException("not an integer column: " + column);
        }
        return t == PrimitiveTypeName.INT32 ? 4 : 8;
    }

    void add(long value, int repetitionLevel, int definitionLevel) {
        levels(repetitionLevel, definitionLevel);
        if (dictionaryOn()) {
            addIndex(dictionary.indexOf(value));
        } else {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = value;
        }
        pageValueBytes += width;
    }

    @Override
    void encodePlain(ByteBuilder out) {
        boolean indexed = dictionaryOn();
        for (int i = 0; i < count; i++) {
            long v = indexed ? dictionary.entry(indices[i]) : values[i];
            note(v);
            if (width == 4) {
                out.writeInt((int) v);
            } else {
                out.writeLong(v);
            }
        }
    }

    @Override
    void noteIndex(int index) {
        note(dictionary.entry(index));
    }

    private void note(long v) {
        if (!any) {
            min = v;
            max = v;
            any = true;
        } else if (v < min) {
            min = v;
        } else if (v > max) {
            max = v;
        }
    }

    @Override
    Statistics<?> pageStatistics(int nulls) {
        if (!any) {
            return statistics(null, null, nulls);
        }
        return statistics(plain(min), plain(max), nulls);
    }

    private byte[] plain(long v) {
        ByteBuilder b = new ByteBuilder(8);
        if (width == 4) {
            b.writeInt((int) v);
        } else {
            b.writeLong(v);
        }
        return b.toByteArray();
    }

    @Override
    void resetPageValues() {
        super.resetPageValues();
        any = false;
    }
}
