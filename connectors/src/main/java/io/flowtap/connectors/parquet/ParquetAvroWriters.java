package io.flowtap.connectors.parquet;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.util.Set;

/**
 * {@link BulkWriter} factories that write Avro records as Parquet ({@link ColumnarParquetWriter})
 * with no Hadoop classes at run time. Use with {@code FileSink.forBulkFormat}; part files roll on
 * checkpoints.
 */
public final class ParquetAvroWriters {
    /** ZSTD level 3: zstd's default, a good ratio at little CPU. */
    public static final int DEFAULT_ZSTD_LEVEL = 3;

    private ParquetAvroWriters() {}

    /** Parquet files of {@code type}, ZSTD-compressed. */
    public static <T extends SpecificRecord> BulkWriter.Factory<T> forSpecificRecord(
            Class<T> type) {
        return forSpecificRecord(type, CompressionCodecName.ZSTD);
    }

    public static <T extends SpecificRecord> BulkWriter.Factory<T> forSpecificRecord(
            Class<T> type, CompressionCodecName codec) {
        return new Factory<>(type, codec, Set.of(), ColumnarParquetWriter.Limits.DEFAULT);
    }

    /**
     * Parquet files of {@code type}, ZSTD-compressed, with {@code plainColumns} (top-level field
     * names) written without dictionary encoding: for columns whose values rarely repeat (digests,
     * timestamps, counters), where a dictionary costs a hash lookup per value and is dropped again
     * when it outgrows its page.
     */
    public static <T extends SpecificRecord> BulkWriter.Factory<T> forSpecificRecord(
            Class<T> type, Set<String> plainColumns) {
        return new Factory<>(
                type,
                CompressionCodecName.ZSTD,
                plainColumns,
                ColumnarParquetWriter.Limits.DEFAULT);
    }

    static final class Factory<T extends IndexedRecord> implements BulkWriter.Factory<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final CompressionCodecName codec;
        private final Set<String> plainColumns;
        private final ColumnarParquetWriter.Limits limits;

        Factory(
                Class<T> type,
                CompressionCodecName codec,
                Set<String> plainColumns,
                ColumnarParquetWriter.Limits limits) {
            this.type = type;
            this.codec = codec;
            this.plainColumns = Set.copyOf(plainColumns);
            this.limits = limits;
            // A schema it cannot write is refused now, not when the first file starts.
            ColumnarParquetWriter.check(schema(), this.plainColumns);
        }

        private Schema schema() {
            return SpecificData.getForClass(type).getSchema(type);
        }

        @Override
        public BulkWriter<T> create(FSDataOutputStream out) throws IOException {
            return new ColumnarParquetWriter<>(
                    new StreamOutputFile(out),
                    schema(),
                    plainColumns,
                    codec,
                    DEFAULT_ZSTD_LEVEL,
                    limits);
        }
    }
}
