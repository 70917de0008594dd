package io.flowtap.connectors.parquet;

import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HivePartitionAssignerTest {
    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void partitionsByUtcHourAcrossHourDayAndEpochBoundaries() throws Exception {
        HivePartitionAssigner<Long> a = new HivePartitionAssigner<>(t -> t);
        assertThat(a.getBucketId(ms("2026-12-01T21:00:00Z"), null))
                .isEqualTo("dt=2026-12-01/hour=21");
        assertThat(a.getBucketId(ms("2026-12-01T21:59:59.999Z"), null))
                .isEqualTo("dt=2026-12-01/hour=21");
        assertThat(a.getBucketId(ms("2026-12-01T22:00:00Z"), null))
                .isEqualTo("dt=2026-12-01/hour=22");
        // Back to an hour named before, and across midnight.
        assertThat(a.getBucketId(ms("2026-12-01T21:30:00Z"), null))
                .isEqualTo("dt=2026-12-01/hour=21");
        assertThat(a.getBucketId(ms("2026-12-02T00:00:00Z"), null))
                .isEqualTo("dt=2026-12-02/hour=00");
        // Before the epoch: hour -1 is 1969-12-31 23:00, hour 0 is 1970-01-01 00:00.
        assertThat(a.getBucketId(-1L, null)).isEqualTo("dt=1969-12-31/hour=23");
        assertThat(a.getBucketId(0L, null)).isEqualTo("dt=1970-01-01/hour=00");

        // A copy as Flink ships it to the task starts without the last partition.
        HivePartitionAssigner<Long> copy =
                InstantiationUtil.clone(new HivePartitionAssigner<Long>(t -> t));
        assertThat(copy.getBucketId(0L, null)).isEqualTo("dt=1970-01-01/hour=00");
        assertThat(copy.getBucketId(ms("2026-12-01T21:00:00Z"), null))
                .isEqualTo("dt=2026-12-01/hour=21");
    }

    @Test
    void datasetDirectoryComesFirst() {
        HivePartitionAssigner<Long> a =
                new HivePartitionAssigner<>(t -> t, t -> t < 0 ? "old" : "new");
        assertThat(a.getBucketId(ms("2026-12-01T21:00:00Z"), null))
                .isEqualTo("new/dt=2026-12-01/hour=21");
        assertThat(a.getBucketId(-1L, null)).isEqualTo("old/dt=1969-12-31/hour=23");
    }
}
