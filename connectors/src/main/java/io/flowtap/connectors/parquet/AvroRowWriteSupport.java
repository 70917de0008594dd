package io.flowtap.connectors.parquet;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes flat Avro records to Parquet: fields of primitive types, strings, enums, timestamps, lists
 * of those, each optionally nullable. The files are those parquet-avro writes for the same records
 * (its schema conversion, its two-level lists, its schema in the footer, so that Avro readers see
 * the same records); the per-value work is decided once per field here instead of per value from
 * the schema, which is most of what parquet-avro's writer spends on a row of Flowtap's datasets.
 * Any other field type is refused when the writer is made.
 */
final class AvroRowWriteSupport<T extends IndexedRecord> extends WriteSupport<T> {
    /** The footer key under which parquet-avro keeps the writer's Avro schema. */
    static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

    private final Schema avroSchema;
    private MessageType parquetSchema;
    private Field[] fields;
    private RecordConsumer consumer;

    AvroRowWriteSupport(Schema avroSchema) {
        if (avroSchema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("not a record schema: " + avroSchema.getFullName());
        }
        this.avroSchema = avroSchema;
    }

    @Override
    public String getName() {
        // The object model: readers pick their Avro conversion by it, as for parquet-avro's files.
        return "avro";
    }

    /**
     * Required by {@link WriteSupport}'s Hadoop-typed API; never called, since Flowtap's writers
     * are built with a {@link ParquetConfiguration} (no Hadoop class is loaded at run time).
     */
    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        throw new UnsupportedOperationException("built with a ParquetConfiguration only");
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        parquetSchema = new AvroSchemaConverter(configuration).convert(avroSchema);
        fields = fields(avroSchema, parquetSchema);
        return new WriteContext(parquetSchema, Map.of(AVRO_SCHEMA_KEY, avroSchema.toString()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(T record) {
        RecordConsumer c = consumer;
        c.startMessage();
        for (Field f : fields) {
            Object value = record.get(f.avroPosition);
            if (value != null) {
                c.startField(f.name, f.index);
                f.value.add(c, value);
                c.endField(f.name, f.index);
            } else if (f.required) {
                throw new IllegalArgumentException(
                        "null in the required field " + f.name + " of " + avroSchema.getName());
            }
        }
        c.endMessage();
    }

    private static Field[] fields(Schema avro, MessageType parquet) {
        List<Field> fields = new ArrayList<>();
        int index = 0;
        for (Schema.Field field : avro.getFields()) {
            Schema schema = field.schema();
            if (schema.getType() == Schema.Type.NULL) {
                continue; // no column: parquet-avro skips null-typed fields too
            }
            Type column = parquet.getType(index);
            boolean nullable = false;
            if (schema.getType() == Schema.Type.UNION) {
                schema = nonNullBranch(field, schema);
                nullable = true;
            }
            Value value =
                    schema.getType() == Schema.Type.ARRAY
                            ? list(field, schema.getElementType(), column.asGroupType())
                            : primitive(field, schema);
            fields.add(new Field(field.pos(), column.getName(), index, !nullable, value));
            index++;
        }
        return fields.toArray(new Field[0]);
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

    /** A two-level list (parquet-avro's default): {@code group (LIST) { repeated T array; }}. */
    private static Value list(Schema.Field field, Schema element, GroupType column) {
        if (column.getFieldCount() != 1 || !column.getType(0).isPrimitive()) {
            throw unsupported(field, "a list other than of primitives in two levels");
        }
        Type repeated = column.getType(0);
        if (!repeated.isRepetition(Type.Repetition.REPEATED)) {
            throw unsupported(field, "a list without a repeated field");
        }
        String name = repeated.getName();
        Value item = primitive(field, element);
        return (c, v) -> {
            Collection<?> items = (Collection<?>) v;
            c.startGroup();
            if (!items.isEmpty()) {
                c.startField(name, 0);
                for (Object o : items) {
                    if (o == null) {
                        throw new IllegalArgumentException("null in the list " + field.name());
                    }
                    item.add(c, o);
                }
                c.endField(name, 0);
            }
            c.endGroup();
        };
    }

    private static Value primitive(Schema.Field field, Schema schema) {
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case BOOLEAN:
                return (c, v) -> c.addBoolean((Boolean) v);
            case INT:
                if (logical != null) {
                    throw unsupported(field, "int with logical type " + logical.getName());
                }
                return (c, v) -> c.addInteger(((Number) v).intValue());
            case LONG:
                if (logical == null) {
                    return (c, v) -> c.addLong(((Number) v).longValue());
                }
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return (c, v) -> c.addLong(epochMillis(v));
                }
                throw unsupported(field, "long with logical type " + logical.getName());
            case FLOAT:
                return (c, v) -> c.addFloat(((Number) v).floatValue());
            case DOUBLE:
                return (c, v) -> c.addDouble(((Number) v).doubleValue());
            case STRING:
            case ENUM:
                if (logical != null) {
                    throw unsupported(field, "string with logical type " + logical.getName());
                }
                // A constant byte array: dictionaries and statistics keep it without a copy,
                // and compare it faster than a wrapped buffer.
                return (c, v) -> c.addBinary(Binary.fromConstantByteArray(utf8(v)));
            default:
                throw unsupported(field, schema.getType().getName());
        }
    }

    private static byte[] utf8(Object v) {
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long epochMillis(Object v) {
        return v instanceof Instant ? ((Instant) v).toEpochMilli() : ((Number) v).longValue();
    }

    private static IllegalArgumentException unsupported(Schema.Field field, String what) {
        return new IllegalArgumentException(
                "field " + field.name() + ": " + what + " is not written to Parquet by Flowtap");
    }

    /** Adds one non-null value of a field to the current column. */
    private interface Value {
        void add(RecordConsumer consumer, Object value);
    }

    private static final class Field {
        final int avroPosition;
        final String name;
        final int index;
        final boolean required;
        final Value value;

        Field(int avroPosition, String name, int index, boolean required, Value value) {
            this.avroPosition = avroPosition;
            this.name = name;
            this.index = index;
            this.required = required;
            this.value = value;
        }
    }
}
