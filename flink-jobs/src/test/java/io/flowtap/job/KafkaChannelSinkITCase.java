package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.kafka.KafkaChannelSink;
import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.testing.KafkaRecords;
import io.flowtap.testing.Pace;
import io.flowtap.testing.RecordJobs;
import io.flowtap.testing.Streams;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A configured Kafka channel, exactly-once, while its broker is stopped in the middle of the job
 * and started again: a {@code read_committed} consumer sees every record exactly once.
 */
class KafkaChannelSinkITCase {
    @TempDir Path tmp;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aBrokerRestartMidRunLosesAndRepeatsNothing() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        try (LocalKafka kafka = LocalKafka.start(tmp.resolve("kafka"), false)) {
            String topic = "ft.outage.flows";
            kafka.createTopics(Map.of(topic, 2));
            JobClient job =
                    RecordJobs.start(
                            "kafka-outage",
                            expected,
                            new Pace<TelemetryRecord>(50),
                            KafkaChannelSink.builder()
                                    .setBootstrapServers(kafka.bootstrapServers())
                                    .setTopic(topic)
                                    .setFormat(PayloadFormat.JSON)
                                    .setCompressor(Compressor.NONE)
                                    .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                    .setTransactionalIdPrefix("ft-outage")
                                    .build());
            // Records arrive one every 50 ms (about 7 s in all) and are committed at checkpoints
            // every 500 ms. Once the first are committed the broker stops, while the job goes on
            // writing, and starts again three seconds later.
            List<String> before = new ArrayList<>();
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> {
                                before.clear();
                                before.addAll(
                                        KafkaRecords.values(
                                                kafka.bootstrapServers(), List.of(topic), true));
                                return !before.isEmpty();
                            });
            kafka.stop();
            Thread.sleep(3000);
            kafka.restart();
            job.getJobExecutionResult().get(4, TimeUnit.MINUTES);
            List<String> committed =
                    new ArrayList<>(
                            KafkaRecords.values(kafka.bootstrapServers(), List.of(topic), true));
            Collections.sort(committed);
            List<String> want = new ArrayList<>(expected);
            Collections.sort(want);
            assertThat(committed).isEqualTo(want);
            assertThat(before.size()).as("committed before the outage").isLessThan(want.size());
            System.out.printf(
                    "Kafka outage: %d of %d records committed before the broker stopped; %d"
                            + " committed in the end%n",
                    before.size(), want.size(), committed.size());
        }
    }
}
