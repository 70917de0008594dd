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
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flowtap's Parquet writer, read back by two readers independent of it: parquet-java's Avro reader
 * (every record equal to the one written) and DuckDB (every value of every row). Its statistics
 * against minimums, maximums and null counts computed here from the records; its encodings, pages
 * and row groups as parquet-java reads them from the footer and the offset indexes.
 */
class ColumnarParquetWriterTest {
    @TempDir Path tmp;

    @Test
    void flowRowsReadBackByParquetJavaAndDuckDb() throws Exception {
        List<FlowRow> rows = records(FlowRow.class, 45_000, new Random(1));
        Path file = write(FlowRow.class, rows, Set.of(), ColumnarParquetWriter.Limits.DEFAULT);
        assertThat(readWithParquetJava(file, FlowRow.class)).isEqualTo(rows);
        assertDuckDbReads(file, rows);
        assertStatistics(file, rows);
        try (ParquetFileReader reader = open(file)) {
            BlockMetaData group = reader.getRowGroups().get(0);
            for (ColumnChunkMetaData chunk : group.getColumns()) {
                OffsetIndex pages = reader.readOffsetIndex(chunk);
                // 45,000 rows at most 20,000 to a page.
                assertThat(pages.getPageCount()).as(chunk.getPath().toDotString()).isEqualTo(3);
                assertThat(pages.getFirstRowIndex(1)).isEqualTo(20_000);
                assertThat(reader.readColumnIndex(chunk)).isNotNull();
            }
            assertThat(encodings(group, "detected_protocol_name"))
                    .contains(Encoding.PLAIN_DICTIONARY);
            assertThat(chunk(group, "detected_protocol_name").hasDictionaryPage()).isTrue();
        }
    }

    @Test
    void plainColumnsHaveNoDictionary() throws Exception {
        List<FlowRow> rows = records(FlowRow.class, 5_000, new Random(2));
        Path file =
                write(
                        FlowRow.class,
                        rows,
                        Set.of("digest", "local_port", "first_seen_at"),
                        ColumnarParquetWriter.Limits.DEFAULT);
        assertThat(readWithParquetJava(file, FlowRow.class)).isEqualTo(rows);
        try (ParquetFileReader reader = open(file)) {
            BlockMetaData group = reader.getRowGroups().get(0);
            for (String column : List.of("digest", "local_port", "first_seen_at")) {
                assertThat(chunk(group, column).hasDictionaryPage()).as(column).isFalse();
                assertThat(encodings(group, column)).as(column).contains(Encoding.PLAIN);
            }
            // A column of a few values repeated keeps its dictionary.
            assertThat(chunk(group, "other_port").hasDictionaryPage()).isTrue();
        }
    }

    @Test
    void otherDatasetsReadBack() throws Exception {
        for (Class<? extends SpecificRecord> type :
                List.of(IntelRow.class, AggregateRow.class, InterfaceCounters.class)) {
            roundTrip(type);
        }
    }

    private <T extends SpecificRecord> void roundTrip(Class<T> type) throws Exception {
        List<T> rows = records(type, 5_000, new Random(type.getName().hashCode()));
        Path file = write(type, rows, Set.of(), ColumnarParquetWriter.Limits.DEFAULT);
        assertThat(readWithParquetJava(file, type)).as(type.getSimpleName()).isEqualTo(rows);
        assertDuckDbReads(file, rows);
        assertStatistics(file, rows);
    }

    @Test
    void rowGroupsEndAtTheirSize() throws Exception {
        List<FlowRow> rows = records(FlowRow.class, 12_000, new Random(3));
        ColumnarParquetWriter.Limits small =
                new ColumnarParquetWriter.Limits(1_000, 1 << 20, 1 << 20, 200_000);
        Path file = write(FlowRow.class, rows, Set.of(), small);
        try (ParquetFileReader reader = open(file)) {
            List<BlockMetaData> groups = reader.getRowGroups();
            assertThat(groups.size()).isGreaterThan(2);
            assertThat(groups.stream().mapToLong(BlockMetaData::getRowCount).sum())
                    .isEqualTo(12_000);
        }
        assertThat(readWithParquetJava(file, FlowRow.class)).isEqualTo(rows);
        assertDuckDbReads(file, rows);
        assertStatistics(file, rows);
    }

    @Test
    void aDictionaryThatOutgrowsItsSizeFallsBackToPlainPages() throws Exception {
        // Page 1 repeats 50 names; from page 2 on every name is new, and the dictionary would
        // pass 16 KiB during page 2: page 1 keeps its indices, pages 2 on are plain.
        Schema schema = SchemaBuilder.record("Names").fields().requiredString("name").endRecord();
        List<GenericRecord> rows = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            GenericRecord r = new GenericData.Record(schema);
            r.put("name", i < 1_000 ? "repeated-" + (i % 50) : "unique-name-" + i + "-padding");
            rows.add(r);
        }
        ColumnarParquetWriter.Limits limits =
                new ColumnarParquetWriter.Limits(1_000, 1 << 20, 16 << 10, 128L << 20);
        Path file = write(schema, rows, Set.of(), limits);
        try (ParquetFileReader reader = open(file)) {
            BlockMetaData group = reader.getRowGroups().get(0);
            assertThat(encodings(group, "name"))
                    .contains(Encoding.PLAIN_DICTIONARY, Encoding.PLAIN);
            ColumnChunkMetaData chunk = chunk(group, "name");
            assertThat(
                            chunk.getEncodingStats()
                                    .getNumDictionaryPagesEncodedAs(Encoding.PLAIN_DICTIONARY))
                    .isEqualTo(1);
            assertThat(chunk.getEncodingStats().getNumDataPagesEncodedAs(Encoding.PLAIN_DICTIONARY))
                    .isEqualTo(1);
            assertThat(chunk.getEncodingStats().getNumDataPagesEncodedAs(Encoding.PLAIN))
                    .isEqualTo(5);
            // Only the entries page 1 uses: the names page 2 added before the fallback are gone.
            DictionaryPageReadStore dictionaries = reader.getDictionaryReader(group);
            ColumnDescriptor name =
                    reader.getFooter().getFileMetaData().getSchema().getColumns().get(0);
            assertThat(dictionaries.readDictionaryPage(name).getDictionarySize()).isEqualTo(50);
        }
        assertThat(names(readGeneric(file))).isEqualTo(names(rows));
        assertDuckDbReads(file, rows);
    }

    @Test
    void valuesThatDoNotRepeatNeverGetADictionary() throws Exception {
        Schema schema = SchemaBuilder.record("Names").fields().requiredString("name").endRecord();
        List<GenericRecord> rows = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            GenericRecord r = new GenericData.Record(schema);
            r.put("name", "n" + i);
            rows.add(r);
        }
        Path file = write(schema, rows, Set.of(), ColumnarParquetWriter.Limits.DEFAULT);
        try (ParquetFileReader reader = open(file)) {
            ColumnChunkMetaData chunk = chunk(reader.getRowGroups().get(0), "name");
            assertThat(chunk.hasDictionaryPage()).isFalse();
            assertThat(chunk.getEncodings()).doesNotContain(Encoding.PLAIN_DICTIONARY);
        }
        assertThat(names(readGeneric(file))).isEqualTo(names(rows));
    }

    @Test
    void aRecordWithANullWhereNoneMayBeIsRefusedWholeAndTheFileGoesOn() throws Exception {
        Schema schema =
                SchemaBuilder.record("R")
                        .fields()
                        .optionalString("note")
                        .requiredString("name")
                        .name("tags")
                        .type()
                        .array()
                        .items()
                        .stringType()
                        .noDefault()
                        .endRecord();
        GenericRecord good = new GenericData.Record(schema);
        good.put("note", "n");
        good.put("name", "a");
        good.put("tags", List.of("x", "y"));
        GenericRecord noName = new GenericData.Record(schema);
        noName.put("note", "m");
        noName.put("tags", List.of("z"));
        GenericRecord nullTag = new GenericData.Record(schema);
        nullTag.put("name", "b");
        nullTag.put("tags", Arrays.asList("z", null));

        Path path = tmp.resolve("r.parquet");
        FSDataOutputStream stream = out(path);
        BulkWriter<GenericRecord> writer =
                new ColumnarParquetWriter<>(
                        new StreamOutputFile(stream),
                        schema,
                        Set.of(),
                        CompressionCodecName.ZSTD,
                        3,
                        ColumnarParquetWriter.Limits.DEFAULT);
        writer.addElement(good);
        assertThatThrownBy(() -> writer.addElement(noName))
                .hasMessageContaining("required field name of R");
        assertThatThrownBy(() -> writer.addElement(nullTag))
                .hasMessageContaining("item of the list tags");
        writer.addElement(good);
        writer.finish();
        stream.close();
        assertThat(readGeneric(path))
                .hasSize(2)
                .allMatch(r -> r.toString().equals(good.toString()));
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
        assertThatThrownBy(() -> ColumnarParquetWriter.check(map, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field tags");

        Schema date =
                SchemaBuilder.record("D")
                        .fields()
                        .name("day")
                        .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
                        .noDefault()
                        .endRecord();
        assertThatThrownBy(() -> ColumnarParquetWriter.check(date, Set.of()))
                .hasMessageContaining("field day")
                .hasMessageContaining("date");

        Schema real = SchemaBuilder.record("F").fields().requiredDouble("ratio").endRecord();
        assertThatThrownBy(() -> ColumnarParquetWriter.check(real, Set.of()))
                .hasMessageContaining("field ratio");

        Schema name = SchemaBuilder.record("N").fields().requiredString("name").endRecord();
        assertThatThrownBy(() -> ColumnarParquetWriter.check(name, Set.of("nmae")))
                .hasMessageContaining("plain column nmae");
        assertThatThrownBy(() -> ParquetAvroWriters.forSpecificRecord(FlowRow.class, Set.of("x")))
                .hasMessageContaining("plain column x");
    }

    @Test
    void noLargerThanParquetAvrosFiles() throws Exception {
        List<FlowRow> rows = records(FlowRow.class, 30_000, new Random(4));
        Path ours = write(FlowRow.class, rows, Set.of(), ColumnarParquetWriter.Limits.DEFAULT);
        Path theirs = tmp.resolve("parquet-avro.parquet");
        FSDataOutputStream reference = out(theirs);
        SpecificData model = SpecificData.getForClass(FlowRow.class);
        try (ParquetWriter<FlowRow> w =
                AvroParquetWriter.<FlowRow>builder(new StreamOutputFile(reference))
                        .withSchema(FlowRow.getClassSchema())
                        .withDataModel(model)
                        .withConf(new PlainParquetConfiguration())
                        .withCodecFactory(
                                new PureJavaCodecFactory(ParquetAvroWriters.DEFAULT_ZSTD_LEVEL))
                        .withCompressionCodec(CompressionCodecName.ZSTD)
                        .build()) {
            for (FlowRow r : rows) {
                w.write(r);
            }
        }
        reference.close();
        // The same schema, so the same records for Avro readers.
        try (ParquetFileReader a = open(ours);
                ParquetFileReader b = open(theirs)) {
            assertThat(a.getFooter().getFileMetaData().getSchema())
                    .isEqualTo(b.getFooter().getFileMetaData().getSchema());
            assertThat(a.getFooter().getFileMetaData().getKeyValueMetaData())
                    .containsEntry(
                            ColumnarParquetWriter.AVRO_SCHEMA_KEY,
                            b.getFooter()
                                    .getFileMetaData()
                                    .getKeyValueMetaData()
                                    .get(ColumnarParquetWriter.AVRO_SCHEMA_KEY))
                    .containsEntry(ColumnarParquetWriter.OBJECT_MODEL_KEY, "avro");
        }
        assertThat((double) Files.size(ours)).isLessThan(Files.size(theirs) * 1.05);
    }

    // --- writing and reading

    private <T extends SpecificRecord> Path write(
            Class<T> type, List<T> rows, Set<String> plain, ColumnarParquetWriter.Limits limits)
            throws Exception {
        Path path = tmp.resolve(type.getSimpleName() + "-" + rows.size() + ".parquet");
        FSDataOutputStream stream = out(path);
        BulkWriter<T> writer =
                new ParquetAvroWriters.Factory<>(type, CompressionCodecName.ZSTD, plain, limits)
                        .create(stream);
        for (T r : rows) {
            writer.addElement(r);
        }
        writer.finish();
        stream.close();
        return path;
    }

    private Path write(
            Schema schema,
            List<GenericRecord> rows,
            Set<String> plain,
            ColumnarParquetWriter.Limits limits)
            throws Exception {
        Path path = tmp.resolve(schema.getName() + "-" + rows.size() + ".parquet");
        FSDataOutputStream stream = out(path);
        BulkWriter<GenericRecord> writer =
                new ColumnarParquetWriter<>(
                        new StreamOutputFile(stream),
                        schema,
                        plain,
                        CompressionCodecName.ZSTD,
                        3,
                        limits);
        for (GenericRecord r : rows) {
            writer.addElement(r);
        }
        writer.finish();
        stream.close();
        return path;
    }

    private static <T> List<T> readWithParquetJava(Path file, Class<T> type) throws Exception {
        SpecificData model = SpecificData.getForClass(type);
        List<T> out = new ArrayList<>();
        try (ParquetReader<T> reader =
                AvroParquetReader.<T>builder(
                                new LocalInputFile(file), new PlainParquetConfiguration())
                        .withDataModel(model)
                        .withCodecFactory(new PureJavaCodecFactory(3))
                        .build()) {
            for (T r = reader.read(); r != null; r = reader.read()) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<GenericRecord> readGeneric(Path file) throws Exception {
        List<GenericRecord> out = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader =
                AvroParquetReader.<GenericRecord>builder(
                                new LocalInputFile(file), new PlainParquetConfiguration())
                        .withDataModel(GenericData.get())
                        .withCodecFactory(new PureJavaCodecFactory(3))
                        .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<String> names(List<GenericRecord> rows) {
        List<String> out = new ArrayList<>();
        for (GenericRecord r : rows) {
            out.add(r.get("name").toString());
        }
        return out;
    }

    private static ParquetFileReader open(Path file) throws Exception {
        return ParquetFileReader.open(
                new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new PureJavaCodecFactory(3))
                        .build());
    }

    private static ColumnChunkMetaData chunk(BlockMetaData group, String column) {
        return group.getColumns().stream()
                .filter(c -> c.getPath().toDotString().split("\\.")[0].equals(column))
                .findFirst()
                .orElseThrow();
    }

    private static Set<Encoding> encodings(BlockMetaData group, String column) {
        return chunk(group, column).getEncodings();
    }

    private static FSDataOutputStream out(Path file) throws Exception {
        return FileSystem.getLocalFileSystem()
                .create(
                        new org.apache.flink.core.fs.Path(file.toUri()),
                        FileSystem.WriteMode.OVERWRITE);
    }

    // --- DuckDB

    /** DuckDB reads every value of every row as it was written, in the order written. */
    private static void assertDuckDbReads(Path file, List<? extends IndexedRecord> rows)
            throws Exception {
        Schema schema = rows.get(0).getSchema();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT * FROM read_parquet('"
                                        + file.toAbsolutePath()
                                        + "', file_row_number = true) ORDER BY file_row_number")) {
            ResultSetMetaData meta = rs.getMetaData();
            int row = 0;
            while (rs.next()) {
                IndexedRecord expected = rows.get(row);
                for (Schema.Field f : schema.getFields()) {
                    Object actual = duckValue(rs.getObject(f.name()));
                    assertThat(actual)
                            .as("row %d, %s", row, f.name())
                            .isEqualTo(comparable(expected.get(f.pos())));
                }
                row++;
            }
            assertThat(row).isEqualTo(rows.size());
            assertThat(meta.getColumnCount()).isEqualTo(schema.getFields().size() + 1);
        }
    }

    private static Object duckValue(Object v) throws Exception {
        if (v instanceof Array) {
            List<Object> items = new ArrayList<>();
            for (Object o : (Object[]) ((Array) v).getArray()) {
                items.add(duckValue(o));
            }
            return items;
        }
        if (v instanceof OffsetDateTime) {
            return ((OffsetDateTime) v).toInstant().toEpochMilli();
        }
        if (v instanceof java.sql.Timestamp) {
            return ((java.sql.Timestamp) v).toInstant().toEpochMilli();
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        return v;
    }

    private static Object comparable(Object v) {
        if (v instanceof Instant) {
            return ((Instant) v).toEpochMilli();
        }
        if (v instanceof Integer) {
            return ((Integer) v).longValue();
        }
        if (v instanceof CharSequence) {
            return v.toString();
        }
        if (v instanceof Collection) {
            List<Object> items = new ArrayList<>();
            for (Object o : (Collection<?>) v) {
                items.add(comparable(o));
            }
            return items;
        }
        return v;
    }

    // --- statistics

    /**
     * Each column chunk's minimum, maximum and null count as computed here from the rows of its row
     * group: values compared as Parquet orders them (signed integers, strings by their UTF-8 bytes
     * unsigned, false before true), an empty or null list counted as a null.
     */
    private static void assertStatistics(Path file, List<? extends IndexedRecord> rows)
            throws Exception {
        Schema schema = rows.get(0).getSchema();
        try (ParquetFileReader reader = open(file)) {
            int first = 0;
            for (BlockMetaData group : reader.getRowGroups()) {
                List<? extends IndexedRecord> groupRows =
                        rows.subList(first, first + (int) group.getRowCount());
                first += (int) group.getRowCount();
                for (Schema.Field f : schema.getFields()) {
                    Statistics<?> stats = chunk(group, f.name()).getStatistics();
                    List<Object> values = new ArrayList<>();
                    long nulls = 0;
                    for (IndexedRecord r : groupRows) {
                        Object v = r.get(f.pos());
                        if (v instanceof Collection) {
                            if (((Collection<?>) v).isEmpty()) {
                                nulls++;
                            }
                            values.addAll((Collection<?>) v);
                        } else if (v == null) {
                            nulls++;
                        } else {
                            values.add(v);
                        }
                    }
                    assertThat(stats.getNumNulls()).as(f.name()).isEqualTo(nulls);
                    if (values.isEmpty()) {
                        assertThat(stats.hasNonNullValue()).as(f.name()).isFalse();
                        continue;
                    }
                    Comparator<byte[]> order = Arrays::compareUnsigned;
                    if (!(values.get(0) instanceof CharSequence)) {
                        order = Comparator.comparing(ColumnarParquetWriterTest::signed);
                    }
                    List<byte[]> encoded = new ArrayList<>();
                    for (Object v : values) {
                        encoded.add(plain(v));
                    }
                    encoded.sort(order);
                    assertThat(stats.getMinBytes()).as(f.name()).isEqualTo(encoded.get(0));
                    assertThat(stats.getMaxBytes())
                            .as(f.name())
                            .isEqualTo(encoded.get(encoded.size() - 1));
                }
            }
        }
    }

    private static long signed(byte[] plain) {
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        return plain.length == 1 ? plain[0] : plain.length == 4 ? b.getInt() : b.getLong();
    }

    private static byte[] plain(Object v) {
        if (v instanceof CharSequence) {
            return v.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof Boolean) {
            return new byte[] {(byte) ((Boolean) v ? 1 : 0)};
        }
        if (v instanceof Integer) {
            return ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt((Integer) v)
                    .array();
        }
        long l = v instanceof Instant ? ((Instant) v).toEpochMilli() : ((Number) v).longValue();
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(l).array();
    }

    // --- records

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
                long v = r.nextBoolean() ? r.nextInt(1000) : r.nextLong() >> 20;
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
