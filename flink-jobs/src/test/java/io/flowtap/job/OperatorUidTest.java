package io.flowtap.job;

import io.flowtap.connectors.log.NetifyLogSink;
import io.flowtap.connectors.parquet.ParquetAvroWriters;
import io.flowtap.connectors.pcap.PcapSource;
import io.flowtap.schema.FlowRow;
import io.flowtap.testing.TestData;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Savepoints map state to operators by uid: every stateful operator must have a stable one. */
class OperatorUidTest {
    @TempDir Path tmp;

    /** A backfill of the sample with a log channel. */
    private BackfillJob.Builder sampleBackfill() throws Exception {
        return BackfillJob.builder()
                .source(
                        PcapSource.builder()
                                .addPaths(List.of(TestData.pcap("flowtap-sample.pcap")))
                                .build())
                .telemetrySink(
                        "flows",
                        NetifyLogSink.builder().setLogPath(tmp.toString()).setLogName("x").build());
    }

    @Test
    void everyOperatorOfTheBackfillJobHasAUid() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        sampleBackfill()
                .flowRowSink(
                        FileSink.forBulkFormat(
                                        new org.apache.flink.core.fs.Path(tmp.toUri()),
                                        ParquetAvroWriters.forSpecificRecord(FlowRow.class))
                                .build())
                .build()
                .build(env);

        Set<String> uids = uids(env);
        assertThat(uids)
                .contains(
                        OperatorIds.PCAP_SOURCE,
                        OperatorIds.PACKETS,
                        OperatorIds.END_OF_CAPTURE,
                        OperatorIds.FLOW_TRACKER,
                        OperatorIds.logSink("flows"),
                        OperatorIds.FLOWS_PARQUET_SINK);
    }

    /**
     * At parallelism 1 the tracker runs in the source's task: with a flow table of its own on the
     * heap (its uid says so: its state is operator state), on keyed state for RocksDB.
     */
    @Test
    void theBackfillJobAtParallelismOneChainsTheTrackerToTheSource() throws Exception {
        for (boolean table : new boolean[] {true, false}) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            sampleBackfill().flowTable(table).build().build(env);
            String tracker = table ? OperatorIds.FLOW_TABLE_TRACKER : OperatorIds.FLOW_TRACKER;
            String other = table ? OperatorIds.FLOW_TRACKER : OperatorIds.FLOW_TABLE_TRACKER;
            assertThat(uids(env))
                    .contains(
                            OperatorIds.PCAP_SOURCE,
                            OperatorIds.PACKETS,
                            tracker,
                            OperatorIds.logSink("flows"))
                    .doesNotContain(other);
            List<String> tasks = new java.util.ArrayList<>();
            env.getStreamGraph().getJobGraph().getVertices().forEach(v -> tasks.add(v.getName()));
            assertThat(tasks)
                    .anySatisfy(
                            t -> assertThat(t).contains("Capture files").contains("Flow tracker"));
        }
    }

    @Test
    void everyOperatorOfTheStreamJobHasAUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamJob.builder()
                .bootstrapServers("127.0.0.1:9092")
                .telemetrySink(
                        "flows",
                        NetifyLogSink.builder().setLogPath(tmp.toString()).setLogName("x").build())
                .build()
                .build(env);
        assertThat(uids(env))
                .contains(
                        OperatorIds.KAFKA_SOURCE,
                        OperatorIds.PACKETS,
                        OperatorIds.END_OF_CAPTURE,
                        OperatorIds.FLOW_TRACKER,
                        OperatorIds.KAFKA_TELEMETRY_SINK,
                        OperatorIds.logSink("flows"));
    }

    /** One indicator of every driver, with a small feed for those that take one. */
    private static List<io.flowtap.intel.Indicator> everyDriver() throws Exception {
        io.flowtap.intel.Feed feed =
                io.flowtap.intel.Feed.parse("listed", "feeds/listed.txt", "192.0.2.1\n");
        List<io.flowtap.intel.Indicator> out = new java.util.ArrayList<>();
        for (io.flowtap.intel.IntelDriver d : io.flowtap.intel.IntelDriver.values()) {
            out.add(
                    new io.flowtap.intel.Indicator(
                            d.tag(),
                            d,
                            d.category(),
                            d.score(),
                            0,
                            0,
                            true,
                            true,
                            io.flowtap.expr.Criteria.ALL,
                            d.takesFeeds() ? List.of(feed) : List.of(),
                            java.util.EnumSet.of(io.flowtap.intel.IntelEvent.DPI_COMPLETE),
                            d.criteria()));
        }
        return out;
    }

    @Test
    void everyOperatorOfTheIntelligenceIndicatorsHasAUid() throws Exception {
        List<io.flowtap.intel.Indicator> indicators = everyDriver();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamJob.builder()
                .bootstrapServers("127.0.0.1:9092")
                .settings(
                        io.flowtap.flow.FlowSettings.defaults().toBuilder()
                                .indicators(indicators)
                                .build())
                .feedWatch(
                        io.flowtap.intel.watch.FeedWatchSource.of(
                                tmp, indicators.get(0).feeds(), java.time.Duration.ofSeconds(1)))
                .intelRowSink(
                        FileSink.forBulkFormat(
                                        new org.apache.flink.core.fs.Path(tmp.toUri()),
                                        ParquetAvroWriters.forSpecificRecord(
                                                io.flowtap.schema.IntelRow.class))
                                .build())
                .build()
                .build(env);
        Set<String> uids = uids(env);
        assertThat(uids)
                .contains(
                        OperatorIds.FEED_WATCH_SOURCE,
                        OperatorIds.FEED_CONTROL,
                        OperatorIds.END_OF_CAPTURE_CONTROL,
                        OperatorIds.INTEL_ROWS,
                        OperatorIds.INTEL_ROWS_MAP,
                        OperatorIds.INTEL_PARQUET_SINK);
        for (io.flowtap.intel.Indicator i : indicators) {
            if (!i.driver().perFlow()) {
                assertThat(uids)
                        .contains(
                                OperatorIds.intel(i.name()),
                                OperatorIds.intelObservations(i.name()));
            }
        }
    }

    /** The uids of every operator of the job, each checked to be present and unique. */
    private static Set<String> uids(StreamExecutionEnvironment env) {
        Set<String> uids = new HashSet<>();
        Deque<Transformation<?>> todo = new ArrayDeque<>(env.getTransformations());
        Set<Transformation<?>> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            todo.addAll(t.getInputs());
            // Partitioning, side-output selections and unions are not operators.
            String kind = t.getClass().getSimpleName();
            if (kind.equals("PartitionTransformation")
                    || kind.equals("SideOutputTransformation")
                    || kind.equals("UnionTransformation")) {
                continue;
            }
            assertThat(t.getUid()).as("uid of " + t.getName() + " (" + kind + ")").isNotNull();
            assertThat(uids.add(t.getUid())).as("unique uid " + t.getUid()).isTrue();
        }
        return uids;
    }
}
