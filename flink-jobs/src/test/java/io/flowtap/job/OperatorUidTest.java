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

    @Test
    void everyOperatorOfTheBackfillJobHasAUid() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        BackfillJob.builder()
                .source(
                        PcapSource.builder()
                                .addPaths(List.of(TestData.pcap("flowtap-sample.pcap")))
                                .build())
                .telemetrySink(
                        "flows",
                        NetifyLogSink.builder().setLogPath(tmp.toString()).setLogName("x").build())
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
            // Partitioning and side-output selections are not operators.
            String kind = t.getClass().getSimpleName();
            if (kind.equals("PartitionTransformation") || kind.equals("SideOutputTransformation")) {
                continue;
            }
            assertThat(t.getUid()).as("uid of " + t.getName() + " (" + kind + ")").isNotNull();
            assertThat(uids.add(t.getUid())).as("unique uid " + t.getUid()).isTrue();
        }
        return uids;
    }
}
