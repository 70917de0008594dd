package io.flowtap.job;

import io.flowtap.capture.agent.CaptureAgent;
import io.flowtap.capture.agent.ReplaySource;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.testing.KafkaRecords;
import io.flowtap.testing.Streams;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample through an agent and the stream job against Kafka in a container, for machines with
 * Docker; skipped (in well under a second) where there is none. The other stream tests run the same
 * path against a broker in a child process.
 */
@Testcontainers(disabledWithoutDocker = true)
class StreamJobContainerITCase {
    @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @TempDir Path tmp;

    @Test
    void sampleThroughAContainerBroker() throws Exception {
        String bootstrap = KAFKA.getBootstrapServers();
        TelemetryTopics topics = new TelemetryTopics("container");
        Streams.createTopics(bootstrap, topics, 2);
        StreamJob job =
                StreamJob.builder()
                        .bootstrapServers(bootstrap)
                        .packetTopics(List.of("container.packets"))
                        .telemetryTopics(topics)
                        // The image's broker allows transactions of 15 minutes at most.
                        .transactionalIdPrefix("container")
                        .build();
        JobClient client =
                job.start(
                        StreamExecutionEnvironment.createLocalEnvironment(2, Streams.jobConfig()));
        try (CaptureAgent agent =
                Streams.agent(
                        bootstrap,
                        topics,
                        "edge",
                        Streams.SAMPLE,
                        ReplaySource.AS_FAST_AS_POSSIBLE)) {
            agent.start();
            agent.awaitFinished();
        }
        Streams.drainAfterPurges(bootstrap, topics, Streams.SAMPLE_FLOWS, client, tmp);
        List<String> committed = KafkaRecords.values(bootstrap, job.telemetryTopics(), true);
        Collections.sort(committed);
        assertThat(committed).isEqualTo(Streams.backfill(Streams.SAMPLE, tmp));
    }
}
