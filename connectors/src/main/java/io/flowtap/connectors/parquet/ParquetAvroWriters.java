package io.flowtap.connectors.parquet;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;

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
        return new Factory<>(type, codec);
    }

    private static final class Factory<T> implements BulkWriter.Factory<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final CompressionCodecName codec;

        Factory(Class<T> type, CompressionCodecName codec) {
            this.type = type;
            this.codec = codec;
        }

        @Override
        public BulkWriter<T> create(FSDataOutputStream out) throws IOException {
            // The class's own model carries its logical-type conversions (timestamps).
            SpecificData model = SpecificData.getForClass(type);
            ParquetWriter<T> writer =
                    AvroParquetWriter.<T>builder(new StreamOutputFile(out))
                            .withSchema(model.getSchema(type))
                            .withDataModel(model)
                            .withConf(new PlainParquetConfiguration())
                            .withCodecFactory(new PureJavaCodecFactory(DEFAULT_ZSTD_LEVEL))
                            .withCompressionCodec(codec)
                            .build();
            return new ParquetBulkWriter<>(writer);
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
