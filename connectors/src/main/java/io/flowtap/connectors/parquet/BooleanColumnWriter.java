package io.flowtap.connectors.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;

import java.util.Arrays;

/** A BOOLEAN column: plain, one bit per value, least significant bit first. */
final class BooleanColumnWriter extends ColumnChunkWriter {
    private boolean[] values = new boolean[1024];
    private int count;

    BooleanColumnWriter(ColumnDescriptor column, PageCompressor compressor) {
        super(column, compressor);
    }

    void add(boolean value, int repetitionLevel, int definitionLevel) {
        levels(repetitionLevel, definitionLevel);
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        if ((count & 7) == 0) {
            pageValueBytes++;
        }
        values[count++] = value;
    }

    @Override
    Encoding encodeValues(ByteBuilder out, boolean firstPage) {
        for (int i = 0; i < count; i += 8) {
            int b = 0;
            for (int k = 0; k < 8 && i + k < count; k++) {
                if (values[i + k]) {
                    b |= 1 << k;
                }
            }
            out.writeByte(b);
        }
        return Encoding.PLAIN;
    }

    @Override
    Statistics<?> pageStatistics(int nulls) {
        if (count == 0) {
            return statistics(null, null, nulls);
        }
        boolean anyFalse = false;
        boolean anyTrue = false;
        for (int i = 0; i < count; i++) {
            if (values[i]) {
                anyTrue = true;
            } else {
                anyFalse = true;
            }
        }
        byte[] min = {(byte) (anyFalse ? 0 : 1)};
        byte[] max = {(byte) (anyTrue ? 1 : 0)};
        return statistics(min, max, nulls);
    }

    @Override
    void resetPageValues() {
        count = 0;
    }

    @Override
    ByteBuilder dictionary() {
        return null;
    }

    @Override
    int dictionarySize() {
        return 0;
    }

    @Override
    void resetDictionary() {}
}
