package io.flowtap.job;

import io.flowtap.capture.agent.CaptureAgent;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.testing.KafkaRecords;
import io.flowtap.testing.Streams;
import io.flowtap.testing.TelemetryOutput;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two agents replay the same capture into one topic at once, after a record that is not a packet
 * event at all. The job keeps the agents' flows apart (agent id is part of the flow key), skips the
 * bad record, and writes each agent's telemetry: every backfill record twice, keyed by digest.
 */
class StreamJobITCase {
    @TempDir Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void severalAgentsAtOnceEachGetTheirOwnFlows() throws Exception {
        List<String> once = Streams.backfill(Streams.SAMPLE, tmp);
        assertThat(once).hasSize(Streams.SAMPLE_RECORDS);

        TelemetryTopics topics = new TelemetryTopics("multi");
        try (LocalKafka kafka = LocalKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Streams.createTopics(bootstrap, topics, 3);
            try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
                p.send(
                                new ProducerRecord<>(
                                        "multi.packets",
                                        "not Avro".getBytes(StandardCharsets.US_ASCII)))
                        .get();
            }
            StreamJob job =
                    StreamJob.builder()
                            .bootstrapServers(bootstrap)
                            .packetTopics(List.of("multi.packets"))
                            .groupId("multi")
                            // The agents replay at the recorded pace, but on a loaded machine one
                            // can start or fall more than the default 2 s behind the other: its
                            // packets would then be late (flows split across intervals, or ended
                            // by its marker with packets on their way). What this test is about is
                            // the agents' flows kept apart, so it allows for 10 s of lag.
                            .maxOutOfOrderness(java.time.Duration.ofSeconds(10))
                            .telemetryTopics(topics)
                            .transactionalIdPrefix("multi")
                            .build();
            JobClient client =
                    job.start(
                            StreamExecutionEnvironment.createLocalEnvironment(
                                    2, Streams.jobConfig()));

            List<CaptureAgent> agents = new ArrayList<>();
            for (String id : List.of("edge-a", "edge-b")) {
                agents.add(
                        Streams.agent(
                                bootstrap,
                                topics,
                                id,
                                Streams.SAMPLE,
                                // At the recorded pace, the two agents stay together in event
                                // time. As fast as possible, one could run seconds of capture
                                // time ahead of the other in the partitions they share: the
                                // other's packets would be late, and its end-of-capture marker
                                // would end its flows while some were still on their way.
                                1));
            }
            agents.forEach(CaptureAgent::start);
            for (CaptureAgent a : agents) {
                a.awaitFinished();
                // Every packet read, a counter report for each of the two 15 s update intervals the
                // sample touches (00:48:26.6 to 00:48:30.2), and every event (a flow's packets
                // joined, and the reports) sent.
                CaptureAgent.Counters sent = a.counters();
                assertThat(sent.frames).isEqualTo(2154);
                assertThat(sent.reports).isEqualTo(2);
                assertThat(sent.sent).isEqualTo(sent.events).isPositive();
                assertThat(sent.sendFailed + sent.queueDropped + sent.otherFailed).isZero();
                a.close();
            }
            // Both agents' end-of-capture markers purge their flows.
            Streams.drainAfterPurges(bootstrap, topics, 2 * Streams.SAMPLE_FLOWS, client, tmp);

            List<String> values = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    KafkaRecords.records(bootstrap, job.telemetryTopics(), true)) {
                String json = new String(r.value(), StandardCharsets.UTF_8);
                values.add(json);
                // Keyed by the record's flow digest, in its channel's topic.
                String key = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(json).contains("\"digest\":\"" + key + "\"");
                assertThat(r.topic()).isEqualTo(topics.topic(typeOf(json)));
            }
            Collections.sort(values);
            List<String> twice = new ArrayList<>(once);
            twice.addAll(once);
            Collections.sort(twice);
            assertThat(values).isEqualTo(twice);
            TelemetryOutput.of(values).assertAllValid();
        }
    }

    private static String typeOf(String json) {
        int i = json.indexOf("\"type\":\"") + 8;
        return json.substring(i, json.indexOf('"', i));
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
