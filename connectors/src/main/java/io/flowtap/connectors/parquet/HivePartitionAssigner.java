package io.flowtap.connectors.parquet;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Puts each record in a Hive-style partition {@code dt=yyyy-MM-dd/hour=HH} (UTC) of a timestamp
 * that the record carries, so query engines prune by time.
 */
public final class HivePartitionAssigner<T> implements BucketAssigner<T, String> {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    /** Extracts the partitioning timestamp (epoch milliseconds) from a record. */
    @FunctionalInterface
    public interface TimestampOf<T> extends Serializable {
        long millis(T record);
    }

    /** The dataset directory a record goes to, before its partition. */
    @FunctionalInterface
    public interface DatasetOf<T> extends Serializable {
        String dataset(T record);
    }

    private static final long HOUR_MS = 3_600_000L;

    private final TimestampOf<T> timestampOf;
    private final DatasetOf<T> datasetOf;

    /** The last partition named, by its hour since the epoch: records come in time order. */
    private transient long lastHour;

    private transient String lastPartition;

    public HivePartitionAssigner(TimestampOf<T> timestampOf) {
        this(timestampOf, null);
    }

    /** Partitions under a directory per dataset: {@code <dataset>/dt=.../hour=...}. */
    public HivePartitionAssigner(TimestampOf<T> timestampOf, DatasetOf<T> datasetOf) {
        this.timestampOf = timestampOf;
        this.datasetOf = datasetOf;
    }

    public static String partition(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public String getBucketId(T element, Context context) {
        long millis = timestampOf.millis(element);
        long hour = Math.floorDiv(millis, HOUR_MS);
        if (lastPartition == null || hour != lastHour) {
            lastPartition = partition(millis);
            lastHour = hour;
        }
        String p = lastPartition;
        return datasetOf == null ? p : datasetOf.dataset(element) + "/" + p;
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "HivePartitionAssigner{dt/hour}";
    }
}
