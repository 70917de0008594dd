package io.flowtap.connectors.parquet;

import io.flowtap.schema.AggregateRow;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.IntelRow;
import io.flowtap.schema.InterfaceCounters;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flowtap's Parquet writer against parquet-avro's own on the same records: the files must be the
 * same bytes (schema, encodings, dictionaries, statistics, footer).
 */
class AvroRowWriteSupportTest {
    @TempDir Path tmp;

    @Test
    void flowRowsAsParquetAvroWritesThem() throws Exception {
        assertSameFile(FlowRow.class, 30_000, Set.of());
    }

    @Test
    void flowRowsWithPlainColumnsAsParquetAvroWritesThem() throws Exception {
        assertSameFile(FlowRow.class, 30_000, Set.of("digest", "local_port", "first_seen_at"));
    }

    @Test
    void otherDatasetsAsParquetAvroWritesThem() throws Exception {
        assertSameFile(IntelRow.class, 5_000, Set.of());
        assertSameFile(AggregateRow.class, 5_000, Set.of());
        assertSameFile(InterfaceCounters.class, 5_000, Set.of());
    }

    @Test
    void refusesFieldTypesItDoesNotWrite() {
        Schema map =
                SchemaBuilder.record("R")
                        .fields()
                        .requiredString("name")
                        .name("tags")
                        .type()
                        .map()
                        .values()
                        .stringType()
                        .noDefault()
                        .endRecord();
        assertThatThrownBy(
                        () -> new AvroRowWriteSupport<>(map).init(new PlainParquetConfiguration()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field tags");

        Schema date =
                SchemaBuilder.record("D")
                        .fields()
                        .name("day")
                        .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
                        .noDefault()
                        .endRecord();
        assertThatThrownBy(
                        () -> new AvroRowWriteSupport<>(date).init(new PlainParquetConfiguration()))
                .hasMessageContaining("field day")
                .hasMessageContaining("date");
    }

    @Test
    void nullInRequiredFieldNamesIt() throws Exception {
        Schema schema = SchemaBuilder.record("R").fields().requiredString("name").endRecord();
        try (ParquetWriter<GenericData.Record> writer =
                new ParquetAvroWriters.RowWriterBuilder<GenericData.Record>(
                                new StreamOutputFile(out(tmp.resolve("r.parquet"))), schema)
                        .withConf(new PlainParquetConfiguration())
                        .build()) {
            assertThatThrownBy(() -> writer.write(new GenericData.Record(schema)))
                    .hasMessageContaining("required field name");
        }
    }

    private <T extends SpecificRecord> void assertSameFile(
            Class<T> type, int rows, Set<String> plainColumns) throws Exception {
        List<T> records = records(type, rows, new Random(type.getName().hashCode()));
        Path ours = tmp.resolve(type.getSimpleName() + "-flowtap.parquet");
        Path theirs = tmp.resolve(type.getSimpleName() + "-parquet-avro.parquet");

        FSDataOutputStream stream = out(ours);
        BulkWriter<T> writer =
                ParquetAvroWriters.forSpecificRecord(type, plainColumns).create(stream);
        for (T r : records) {
            writer.addElement(r);
        }
        writer.finish();
        stream.close();

        SpecificData model = SpecificData.getForClass(type);
        FSDataOutputStream reference = out(theirs);
        AvroParquetWriter.Builder<T> builder =
                AvroParquetWriter.<T>builder(new StreamOutputFile(reference))
                        .withSchema(model.getSchema(type))
                        .withDataModel(model)
                        .withConf(new PlainParquetConfiguration())
                        .withCodecFactory(
                                new PureJavaCodecFactory(ParquetAvroWriters.DEFAULT_ZSTD_LEVEL))
                        .withCompressionCodec(CompressionCodecName.ZSTD);
        for (String column : plainColumns) {
            builder.withDictionaryEncoding(column, false);
        }
        try (ParquetWriter<T> w = builder.build()) {
            for (T r : records) {
                w.write(r);
            }
        }
        reference.close();

        assertThat(Files.size(ours)).isGreaterThan(1000);
        assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(theirs));
    }

    private static FSDataOutputStream out(Path file) throws Exception {
        return FileSystem.getLocalFileSystem()
                .create(
                        new org.apache.flink.core.fs.Path(file.toUri()),
                        FileSystem.WriteMode.OVERWRITE);
    }

    /** Records of every field's type: repeated and unique strings, nulls, empty lists. */
    private static <T extends SpecificRecord> List<T> records(Class<T> type, int n, Random r)
            throws Exception {
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        String[] words = {"tls", "dns", "netflix.com", "é-ü", "", "198.51.100.7", "00:11:22"};
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            T record = type.getDeclaredConstructor().newInstance();
            for (Schema.Field f : schema.getFields()) {
                record.put(f.pos(), value(f.schema(), r, words, i));
            }
            out.add(record);
        }
        return out;
    }

    private static Object value(Schema s, Random r, String[] words, int i) {
        switch (s.getType()) {
            case UNION:
                return r.nextInt(3) == 0 ? null : value(s.getTypes().get(1), r, words, i);
            case ARRAY:
                List<Object> items = new ArrayList<>();
                for (int k = r.nextInt(4); k > 0; k--) {
                    items.add(value(s.getElementType(), r, words, i));
                }
                return items;
            case BOOLEAN:
                return r.nextBoolean();
            case INT:
                return r.nextBoolean() ? r.nextInt(10) : r.nextInt();
            case LONG:
                long v = r.nextBoolean() ? r.nextInt(1000) : r.nextLong() >>> 20;
                return s.getLogicalType() != null ? Instant.ofEpochMilli(v) : (Object) v;
            case STRING:
                return r.nextBoolean()
                        ? words[r.nextInt(words.length)]
                        : "host-" + i + "-" + Long.toHexString(r.nextLong()) + ".example";
            default:
                throw new AssertionError(s);
        }
    }
}
