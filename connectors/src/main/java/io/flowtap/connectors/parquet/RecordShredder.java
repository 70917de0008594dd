package io.flowtap.connectors.parquet;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Splits flat Avro records into Parquet columns with their repetition and definition levels: fields
 * of primitive types, strings, enums, timestamps in milliseconds, and lists of those, each
 * optionally nullable, in the Parquet schema parquet-avro derives (two-level lists). How each field
 * is written is decided once, here; any other field type is refused, naming the field.
 */
final class RecordShredder {
    private final String recordName;
    private final Field[] fields;
    private final ColumnChunkWriter[] columns;

    /** The values of the record being written, checked before any is written. */
    private final Object[] row;

    /**
     * @param plainColumns top-level fields whose values rarely repeat: written without a
     *     dictionary, which would cost a lookup per value and be dropped again
     */
    RecordShredder(
            Schema avro,
            MessageType parquet,
            Set<String> plainColumns,
            PageCompressor compressor,
            int maxDictionaryBytes) {
        this.recordName = avro.getName();
        for (String name : plainColumns) {
            Schema.Field f = avro.getField(name);
            if (f == null || f.schema().getType() == Schema.Type.NULL) {
                throw new IllegalArgumentException(
                        "plain column " + name + ": no column of " + avro.getName());
            }
        }
        List<Field> fields = new ArrayList<>();
        List<ColumnChunkWriter> columns = new ArrayList<>();
        List<ColumnDescriptor> descriptors = parquet.getColumns();
        int index = 0;
        for (Schema.Field field : avro.getFields()) {
            Schema schema = field.schema();
            if (schema.getType() == Schema.Type.NULL) {
                continue; // no column: parquet-avro leaves null-typed fields out too
            }
            Type type = parquet.getType(index);
            boolean nullable = false;
            if (schema.getType() == Schema.Type.UNION) {
                schema = nonNullBranch(field, schema);
                nullable = true;
            }
            boolean list = schema.getType() == Schema.Type.ARRAY;
            if (list) {
                checkTwoLevelList(field, type.asGroupType());
            }
            Schema leaf = list ? schema.getElementType() : schema;
            ColumnDescriptor descriptor = descriptors.get(index);
            boolean dictionary = !plainColumns.contains(field.name());
            ColumnChunkWriter column =
                    column(field, leaf, descriptor, compressor, dictionary, maxDictionaryBytes);
            Value value = value(field, leaf, column);
            fields.add(
                    list
                            ? new ListField(field, column, value, nullable)
                            : new PrimitiveField(field, column, value, nullable));
            columns.add(column);
            index++;
        }
        if (index != descriptors.size()) {
            throw new IllegalArgumentException(
                    avro.getName()
                            + ": "
                            + descriptors.size()
                            + " columns for "
                            + index
                            + " fields");
        }
        this.fields = fields.toArray(new Field[0]);
        this.row = new Object[this.fields.length];
        this.columns = columns.toArray(new ColumnChunkWriter[0]);
    }

    /** The columns, in the schema's order. */
    ColumnChunkWriter[] columns() {
        return columns;
    }

    /**
     * Adds one record's values to the columns and ends its row in each. A record that does not fit
     * the schema (a null where none may be) is refused before any column takes a value of it.
     */
    void write(IndexedRecord record) {
        Object[] row = this.row;
        for (int i = 0; i < fields.length; i++) {
            Object v = record.get(fields[i].position);
            fields[i].check(v);
            row[i] = v;
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i].write(row[i]);
            row[i] = null;
        }
        for (ColumnChunkWriter c : columns) {
            c.endRow();
        }
    }

    private static Schema nonNullBranch(Schema.Field field, Schema union) {
        List<Schema> types = union.getTypes();
        if (types.size() == 2 && types.get(0).getType() == Schema.Type.NULL) {
            return types.get(1);
        }
        if (types.size() == 2 && types.get(1).getType() == Schema.Type.NULL) {
            return types.get(0);
        }
        throw unsupported(field, "a union other than [null, T]");
    }

    /** parquet-avro's default list: {@code group (LIST) { repeated T array; }}. */
    private static void checkTwoLevelList(Schema.Field field, GroupType column) {
        if (column.getFieldCount() != 1 || !column.getType(0).isPrimitive()) {
            throw unsupported(field, "a list other than of primitives in two levels");
        }
        if (!column.getType(0).isRepetition(Type.Repetition.REPEATED)) {
            throw unsupported(field, "a list without a repeated field");
        }
    }

    private static ColumnChunkWriter column(
            Schema.Field field,
            Schema leaf,
            ColumnDescriptor descriptor,
            PageCompressor compressor,
            boolean dictionary,
            int maxDictionaryBytes) {
        switch (leaf.getType()) {
            case BOOLEAN:
                return new BooleanColumnWriter(descriptor, compressor);
            case INT:
            case LONG:
                return new IntegerColumnWriter(
                        descriptor, compressor, dictionary, maxDictionaryBytes);
            case STRING:
            case ENUM:
                return new StringColumnWriter(
                        descriptor, compressor, dictionary, maxDictionaryBytes);
            default:
                throw unsupported(field, leaf.getType().getName());
        }
    }

    private static Value value(Schema.Field field, Schema leaf, ColumnChunkWriter column) {
        LogicalType logical = leaf.getLogicalType();
        switch (leaf.getType()) {
            case BOOLEAN:
                BooleanColumnWriter booleans = (BooleanColumnWriter) column;
                return (v, r, d) -> booleans.add((Boolean) v, r, d);
            case INT:
                if (logical != null) {
                    throw unsupported(field, "int with logical type " + logical.getName());
                }
                IntegerColumnWriter ints = (IntegerColumnWriter) column;
                return (v, r, d) -> ints.add(((Number) v).intValue(), r, d);
            case LONG:
                IntegerColumnWriter longs = (IntegerColumnWriter) column;
                if (logical == null) {
                    return (v, r, d) -> longs.add(((Number) v).longValue(), r, d);
                }
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return (v, r, d) -> longs.add(epochMillis(v), r, d);
                }
                throw unsupported(field, "long with logical type " + logical.getName());
            default: // STRING or ENUM, as column() allows
                if (logical != null) {
                    throw unsupported(field, "string with logical type " + logical.getName());
                }
                StringColumnWriter strings = (StringColumnWriter) column;
                return (v, r, d) -> strings.add(v.toString(), r, d);
        }
    }

    private static long epochMillis(Object v) {
        return v instanceof Instant ? ((Instant) v).toEpochMilli() : ((Number) v).longValue();
    }

    private static IllegalArgumentException unsupported(Schema.Field field, String what) {
        return new IllegalArgumentException(
                "field " + field.name() + ": " + what + " is not written to Parquet by Flowtap");
    }

    /** Adds one non-null value to a column at the given levels. */
    private interface Value {
        void add(Object value, int repetitionLevel, int definitionLevel);
    }

    private abstract class Field {
        final int position;
        final String name;
        final ColumnChunkWriter column;
        final Value value;
        final boolean nullable;

        Field(Schema.Field field, ColumnChunkWriter column, Value value, boolean nullable) {
            this.position = field.pos();
            this.name = field.name();
            this.column = column;
            this.value = value;
            this.nullable = nullable;
        }

        /** Throws if the schema does not allow {@code v} here. */
        void check(Object v) {
            if (v == null && !nullable) {
                throw nullIn("field");
            }
        }

        /** Adds a value that passed {@link #check}. */
        abstract void write(Object v);

        /** A null where the schema has none: the record cannot be written. */
        final IllegalArgumentException nullIn(String what) {
            return new IllegalArgumentException(
                    "null in the required " + what + " " + name + " of " + recordName);
        }
    }

    /** A primitive field: its value at the column's full definition level, or a null at 0. */
    private final class PrimitiveField extends Field {
        private final int present;

        PrimitiveField(
                Schema.Field field, ColumnChunkWriter column, Value value, boolean nullable) {
            super(field, column, value, nullable);
            this.present = column.maxDefinition();
        }

        @Override
        void write(Object v) {
            if (v != null) {
                value.add(v, 0, present);
            } else {
                column.addNull(0, 0);
            }
        }
    }

    /**
     * A list field: its items at the full definition level, the first starting the row (repetition
     * 0) and the others repeating within it (1); an empty list one level below, a null list at 0.
     */
    private final class ListField extends Field {
        private final int item;

        ListField(Schema.Field field, ColumnChunkWriter column, Value value, boolean nullable) {
            super(field, column, value, nullable);
            this.item = column.maxDefinition();
        }

        @Override
        void check(Object v) {
            super.check(v);
            if (v instanceof List && v instanceof RandomAccess) {
                // By index: an iterator per list and row is garbage the collector copies.
                List<?> items = (List<?>) v;
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i) == null) {
                        throw nullIn("item of the list");
                    }
                }
            } else if (v != null) {
                for (Object o : (Collection<?>) v) {
                    if (o == null) {
                        throw nullIn("item of the list");
                    }
                }
            }
        }

        @Override
        void write(Object v) {
            if (v == null) {
                column.addNull(0, 0);
                return;
            }
            Collection<?> items = (Collection<?>) v;
            if (items.isEmpty()) {
                column.addNull(0, item - 1);
                return;
            }
            if (items instanceof List && items instanceof RandomAccess) {
                List<?> list = (List<?>) items;
                for (int i = 0; i < list.size(); i++) {
                    value.add(list.get(i), i == 0 ? 0 : 1, item);
                }
                return;
            }
            int repetition = 0;
            for (Object o : items) {
                value.add(o, repetition, item);
                repetition = 1;
            }
        }
    }
}
