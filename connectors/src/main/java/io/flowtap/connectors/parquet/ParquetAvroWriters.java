package io.flowtap.connectors.parquet;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;
import java.util.Set;

/**
 * {@link BulkWriter} factories that write Avro records as Parquet with no Hadoop classes at run
 * time. Use with {@code FileSink.forBulkFormat}; part files roll on checkpoints.
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
        return new Factory<>(type, codec, Set.of());
    }

    /**
     * Parquet files of {@code type}, ZSTD-compressed, with {@code plainColumns} (top-level field
     * names) written without dictionary encoding: for columns whose values rarely repeat (digests,
     * timestamps, counters), where a dictionary costs a hash lookup per value and is dropped again
     * when it outgrows its page.
     */
    public static <T extends SpecificRecord> BulkWriter.Factory<T> forSpecificRecord(
            Class<T> type, Set<String> plainColumns) {
        return new Factory<>(type, CompressionCodecName.ZSTD, plainColumns);
    }

    private static final class Factory<T extends IndexedRecord> implements BulkWriter.Factory<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final CompressionCodecName codec;
        private final Set<String> plainColumns;

        Factory(Class<T> type, CompressionCodecName codec, Set<String> plainColumns) {
            this.type = type;
            this.codec = codec;
            this.plainColumns = Set.copyOf(plainColumns);
        }

        @Override
        public BulkWriter<T> create(FSDataOutputStream out) throws IOException {
            Schema schema = SpecificData.getForClass(type).getSchema(type);
            RowWriterBuilder<T> builder =
                    new RowWriterBuilder<T>(new StreamOutputFile(out), schema)
                            .withConf(new PlainParquetConfiguration())
                            .withCodecFactory(new PureJavaCodecFactory(DEFAULT_ZSTD_LEVEL))
                            .withCompressionCodec(codec);
            for (String column : plainColumns) {
                builder.withDictionaryEncoding(column, false);
            }
            ParquetWriter<T> writer = builder.build();
            return new ParquetBulkWriter<>(writer);
        }
    }

    /** Parquet's writer of Avro records, through {@link AvroRowWriteSupport}. */
    static final class RowWriterBuilder<T extends IndexedRecord>
            extends ParquetWriter.Builder<T, RowWriterBuilder<T>> {
        private final Schema schema;

        RowWriterBuilder(OutputFile file, Schema schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected RowWriterBuilder<T> self() {
            return this;
        }

        /**
         * Required by the builder's Hadoop-typed API; never called, since the writer is always
         * built with a {@link ParquetConfiguration} (no Hadoop class is loaded at run time).
         */
        @Override
        protected WriteSupport<T> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            throw new UnsupportedOperationException("built with a ParquetConfiguration only");
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return new AvroRowWriteSupport<>(schema);
        }
    }

    private static final class ParquetBulkWriter<T> implements BulkWriter<T> {
        private final ParquetWriter<T> writer;

        ParquetBulkWriter(ParquetWriter<T> writer) {
            this.writer = writer;
        }

        @Override
        public void addElement(T element) throws IOException {
            writer.write(element);
        }

        @Override
        public void flush() {
            // Parquet buffers whole row groups; they are written when the part file finishes.
        }

        @Override
        public void finish() throws IOException {
            writer.close();
        }
    }
}
