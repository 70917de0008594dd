package io.flowtap.bench;

import io.flowtap.capture.agent.AgentSettings;
import io.flowtap.capture.agent.CaptureAgent;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.job.StreamJob;
import io.flowtap.kafka.local.LocalKafka;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end latency of the streaming path: an agent replays a capture at its recorded pace with
 * timestamps moved to the present (so a packet's timestamp is the moment it is "captured"), the
 * stream job runs on an embedded cluster against a local broker, and a consumer of the telemetry
 * topics notes, for every record, how long after its event time it could read it. With the
 * transactional sink that includes waiting for the checkpoint that commits it.
 *
 * <p>Arguments: {@code <capture> <passes> <checkpoint-ms> <exactly-once|at-least-once>}.
 */
public final class StreamLatencyBench {
    private StreamLatencyBench() {}

    public static void main(String[] args) throws Exception {
        Path capture = Path.of(args[0]);
        int passes = Integer.parseInt(args[1]);
        long checkpointMs = Long.parseLong(args[2]);
        boolean exactlyOnce = !args[3].equals("at-least-once");
        TelemetryTopics topics = TelemetryTopics.withDefaults();
        Path tmp = Files.createTempDirectory("flowtap-latency");
        try (LocalKafka kafka = LocalKafka.start(tmp.resolve("kafka"), true)) {
            String bootstrap = kafka.bootstrapServers();
            Map<String, Integer> create = new TreeMap<>();
            create.put("flowtap.packets", 4);
            create.put("flowtap.agent", 1);
            for (String c : TelemetryTopics.FLOW_CHANNELS) {
                create.put(topics.topicOfChannel(c), 4);
            }
            kafka.createTopics(create);
            StreamJob job =
                    StreamJob.builder()
                            .bootstrapServers(bootstrap)
                            .deliveryGuarantee(
                                    exactlyOnce
                                            ? DeliveryGuarantee.EXACTLY_ONCE
                                            : DeliveryGuarantee.AT_LEAST_ONCE)
                            .build();
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(checkpointMs));
            JobClient client =
                    job.start(StreamExecutionEnvironment.createLocalEnvironment(2, conf));

            Map<String, List<Long>> latencies = new TreeMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong lastRecordMs = new AtomicLong(System.currentTimeMillis());
            Thread consumer =
                    new Thread(
                            () ->
                                    consume(
                                            bootstrap,
                                            job.telemetryTopics(),
                                            exactlyOnce,
                                            latencies,
                                            stop,
                                            lastRecordMs));
            consumer.start();
            // Let the job's source find its partitions before packets flow.
            Thread.sleep(3000);

            AgentSettings settings =
                    AgentSettings.builder()
                            .agentId("bench")
                            .bootstrapServers(bootstrap)
                            .replay(capture, 1)
                            .replayLoops(passes)
                            .replayRebase(true)
                            .build();
            long packets;
            try (CaptureAgent agent =
                    new CaptureAgent(settings, CaptureAgent.sourcesFor(settings))) {
                agent.start();
                agent.awaitFinished();
                packets = agent.counters().sent;
            }
            // The end-of-capture marker purges the last flows; wait until the records stop.
            while (System.currentTimeMillis() - lastRecordMs.get() < 10_000) {
                Thread.sleep(500);
            }
            stop.set(true);
            consumer.join();
            client.cancel().get();

            System.out.printf(
                    Locale.ROOT,
                    "%s, checkpoint every %d ms, %,d packet events in %d passes%n",
                    exactlyOnce ? "exactly once (read_committed)" : "at least once",
                    checkpointMs,
                    packets,
                    passes);
            System.out.println("| records | count | p50 ms | p99 ms | max ms |");
            System.out.println("|---|---|---|---|---|");
            List<Long> all = new ArrayList<>();
            synchronized (latencies) {
                latencies.forEach(
                        (type, l) -> {
                            all.addAll(l);
                            row(type, l);
                        });
            }
            row("all", all);
        }
    }

    private static void row(String name, List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        System.out.printf(
                Locale.ROOT,
                "| %s | %,d | %d | %d | %d |%n",
                name,
                v.size(),
                percentile(v, 0.50),
                percentile(v, 0.99),
                v.isEmpty() ? 0 : v.get(v.size() - 1));
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }

    private static void consume(
            String bootstrap,
            List<String> topics,
            boolean readCommitted,
            Map<String, List<Long>> latencies,
            AtomicBoolean stop,
            AtomicLong lastRecordMs) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-bench");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(topics);
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    lastRecordMs.set(now);
                    String json = new String(r.value(), StandardCharsets.UTF_8);
                    int i = json.indexOf("\"type\":\"") + 8;
                    String type = json.substring(i, json.indexOf('"', i));
                    synchronized (latencies) {
                        latencies
                                .computeIfAbsent(type, k -> new ArrayList<>())
                                .add(now - r.timestamp());
                    }
                }
            }
        }
    }
}
