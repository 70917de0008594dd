package io.flowtap.job;

import io.flowtap.capture.agent.AgentSettings;
import io.flowtap.capture.agent.CaptureAgent;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.testing.KafkaRecords;
import io.flowtap.testing.Streams;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stream job is cancelled while an agent is still replaying into Kafka, and started again from
 * its last retained checkpoint. A {@code read_committed} consumer of the telemetry topics must then
 * see each record exactly once: the same records, line for line, as a backfill of the capture.
 */
class StreamRestartITCase {
    private static final Path SAMPLE = Streams.SAMPLE;

    @TempDir Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void restartFromACheckpointLosesAndDuplicatesNothing() throws Exception {
        List<String> expected = Streams.backfill(SAMPLE, tmp);
        assertThat(expected).hasSize(Streams.SAMPLE_RECORDS);

        TelemetryTopics topics = new TelemetryTopics("restart");
        try (LocalKafka kafka = LocalKafka.start()) {
            Streams.createTopics(kafka.bootstrapServers(), topics, 4);
            StreamJob job =
                    StreamJob.builder()
                            .bootstrapServers(kafka.bootstrapServers())
                            .packetTopics(List.of("restart.packets"))
                            .groupId("restart")
                            .telemetryTopics(topics)
                            .transactionalIdPrefix("restart")
                            .build();
            Path checkpoints = tmp.resolve("checkpoints");

            JobClient first = start(job, checkpoints, null);
            AgentSettings settings =
                    AgentSettings.builder()
                            .agentId("edge-1")
                            .bootstrapServers(kafka.bootstrapServers())
                            .packetTopic("restart.packets")
                            .statusTopic("restart.agent")
                            // The 3.6 s capture takes 36 s: the job is cancelled well within it.
                            .replay(SAMPLE, 0.1)
                            .build();
            try (CaptureAgent agent =
                    new CaptureAgent(settings, CaptureAgent.sourcesFor(settings))) {
                agent.start();
                // Some telemetry committed (so some checkpoint completed) before the cancel.
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () ->
                                        !KafkaRecords.values(
                                                        kafka.bootstrapServers(),
                                                        job.telemetryTopics(),
                                                        true)
                                                .isEmpty());
                first.cancel().get(1, TimeUnit.MINUTES);
                // The job's own cluster shuts down once the job is gone.
                first.getJobExecutionResult().handle((r, e) -> e).get(1, TimeUnit.MINUTES);
                assertThat(agent.awaitFinished(0, TimeUnit.SECONDS))
                        .as("the agent is still replaying when the job is cancelled")
                        .isFalse();
                Path checkpoint = latestCheckpoint(checkpoints, first);

                JobClient second = start(job, checkpoints, checkpoint);
                agent.awaitFinished();
                // Every packet read, a counter report for each of the two 15 s update intervals the
                // sample touches (00:48:26.6 to 00:48:30.2), and every event (a flow's packets
                // joined, and the reports) sent.
                CaptureAgent.Counters sent = agent.counters();
                assertThat(sent.frames).isEqualTo(2154);
                assertThat(sent.reports).isEqualTo(2);
                assertThat(sent.sent).isEqualTo(sent.events).isPositive();
                assertThat(sent.sendFailed + sent.queueDropped + sent.otherFailed).isZero();
                // Every flow purged and committed, then drained.
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () ->
                                        KafkaRecords.values(
                                                                kafka.bootstrapServers(),
                                                                List.of("restart.purge"),
                                                                true)
                                                        .size()
                                                >= 31);
                second.stopWithSavepoint(
                                true,
                                tmp.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
            }

            List<String> committed =
                    KafkaRecords.values(kafka.bootstrapServers(), job.telemetryTopics(), true);
            Collections.sort(committed);
            assertThat(committed).isEqualTo(expected);
            // What the first run wrote after its last checkpoint was written again by the second:
            // visible only to consumers that also read aborted transactions.
            List<String> everything =
                    KafkaRecords.values(kafka.bootstrapServers(), job.telemetryTopics(), false);
            System.out.printf(
                    "restart: %d records committed, %d written in all%n",
                    committed.size(), everything.size());
            assertThat(everything).hasSizeGreaterThanOrEqualTo(committed.size());
        }
    }

    private JobClient start(StreamJob job, Path checkpoints, Path restoreFrom) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        return job.start(env);
    }

    private static Path latestCheckpoint(Path checkpoints, JobClient job) throws Exception {
        Path dir = checkpoints.resolve(job.getJobID().toString());
        try (Stream<Path> s = Files.list(dir)) {
            Optional<Path> latest =
                    s.filter(p -> p.getFileName().toString().startsWith("chk-"))
                            .filter(p -> Files.exists(p.resolve("_metadata")))
                            .max(
                                    Comparator.comparingInt(
                                            p ->
                                                    Integer.parseInt(
                                                            p.getFileName()
                                                                    .toString()
                                                                    .substring(4))));
            assertThat(latest).as("a retained checkpoint in " + dir).isPresent();
            return latest.get();
        }
    }
}
