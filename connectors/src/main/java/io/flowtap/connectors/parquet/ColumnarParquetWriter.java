package io.flowtap.connectors.parquet;

import org.apache.flink.api.common.serialization.BulkWriter;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * Writes flat Avro records as a Parquet file, column by column: each record is split into its
 * columns' values at once ({@link RecordShredder}), a column encodes and compresses a page when it
 * holds {@link Limits#pageRows} rows or {@link Limits#pageBytes} bytes, and the pages of all
 * columns go out as a row group when they hold {@link Limits#rowGroupBytes} bytes. parquet-java
 * writes the file's structure (page headers, column and offset indexes, footer) from what this
 * writer hands it; the schema is parquet-avro's for the Avro schema, which the footer also keeps,
 * so that Avro readers see the records that were written.
 */
final class ColumnarParquetWriter<T extends IndexedRecord> implements BulkWriter<T> {
    /** The footer key under which parquet-avro keeps the writer's Avro schema. */
    static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

    /** The footer key that names the object model readers convert rows to. */
    static final String OBJECT_MODEL_KEY = "writer.model.name";

    private final ParquetFileWriter file;
    private final RecordShredder shredder;
    private final ColumnChunkWriter[] columns;
    private final PageCompressor compressor;
    private final Limits limits;
    private final Map<String, String> footer;
    private long rowGroupRows;
    private boolean finished;

    ColumnarParquetWriter(
            OutputFile out,
            Schema schema,
            Set<String> plainColumns,
            CompressionCodecName codec,
            int zstdLevel,
            Limits limits)
            throws IOException {
        MessageType parquet = parquetSchema(schema);
        this.limits = limits;
        this.compressor = PageCompressor.of(codec, zstdLevel);
        this.shredder =
                new RecordShredder(
                        schema, parquet, plainColumns, compressor, limits.dictionaryBytes);
        this.columns = shredder.columns();
        this.footer = Map.of(AVRO_SCHEMA_KEY, schema.toString(), OBJECT_MODEL_KEY, "avro");
        this.file =
                new ParquetFileWriter(
                        out,
                        parquet,
                        ParquetFileWriter.Mode.CREATE,
                        limits.rowGroupBytes,
                        0,
                        ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                        ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH,
                        true);
        file.start();
    }

    /**
     * Throws an {@link IllegalArgumentException} naming what this writer cannot write: a field of
     * another type than it supports, or a plain column that is no field of {@code schema}.
     */
    static void check(Schema schema, Set<String> plainColumns) {
        new RecordShredder(schema, parquetSchema(schema), plainColumns, null, 0);
    }

    /** parquet-avro's Parquet schema for {@code schema}, with its default two-level lists. */
    static MessageType parquetSchema(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("not a record schema: " + schema.getFullName());
        }
        return new AvroSchemaConverter(new PlainParquetConfiguration()).convert(schema);
    }

    @Override
    public void addElement(T record) throws IOException {
        shredder.write(record);
        rowGroupRows++;
        boolean pageEnded = false;
        boolean rowsFull = columns.length > 0 && columns[0].pageRows() >= limits.pageRows;
        for (ColumnChunkWriter c : columns) {
            if (rowsFull || c.pageValueBytes() >= limits.pageBytes) {
                c.endPage();
                pageEnded = true;
            }
        }
        if (pageEnded && bufferedBytes() >= limits.rowGroupBytes) {
            writeRowGroup();
        }
    }

    private long bufferedBytes() {
        long total = 0;
        for (ColumnChunkWriter c : columns) {
            total += c.bufferedBytes();
        }
        return total;
    }

    private void writeRowGroup() throws IOException {
        for (ColumnChunkWriter c : columns) {
            c.endPage();
        }
        file.startBlock(rowGroupRows);
        for (ColumnChunkWriter c : columns) {
            c.writeTo(file);
        }
        file.endBlock();
        rowGroupRows = 0;
    }

    @Override
    public void flush() {
        // Row groups are written whole; the open one goes out when it is full or the file ends.
    }

    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (rowGroupRows > 0) {
                writeRowGroup();
            }
            file.end(footer);
        } finally {
            compressor.close();
        }
    }

    /** Where pages, dictionaries and row groups end. */
    static final class Limits implements Serializable {
        private static final long serialVersionUID = 1L;

        /** parquet-java's defaults: 20,000 rows or 1 MiB a page, 1 MiB of dictionary, 128 MiB. */
        static final Limits DEFAULT = new Limits(20_000, 1 << 20, 1 << 20, 128L << 20);

        final int pageRows;
        final long pageBytes;
        final int dictionaryBytes;
        final long rowGroupBytes;

        Limits(int pageRows, long pageBytes, int dictionaryBytes, long rowGroupBytes) {
            this.pageRows = pageRows;
            this.pageBytes = pageBytes;
            this.dictionaryBytes = dictionaryBytes;
            this.rowGroupBytes = rowGroupBytes;
        }
    }
}
