package io.flowtap.testing;

import io.flowtap.capture.agent.AgentSettings;
import io.flowtap.capture.agent.CaptureAgent;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.connectors.log.NetifyLogSink;
import io.flowtap.connectors.pcap.PcapSource;
import io.flowtap.job.BackfillJob;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** The pieces of the stream tests: topics, a job's configuration, agents, draining, backfill. */
public final class Streams {
    public static final Path SAMPLE = TestData.pcap("flowtap-sample.pcap");

    /** Records {@code flowtap backfill} writes for the sample (tshark-checked elsewhere). */
    public static final int SAMPLE_RECORDS = 133;

    public static final int SAMPLE_FLOWS = 31;

    private Streams() {}

    /** Creates {@code <prefix>.packets}, {@code <prefix>.agent} and the telemetry topics. */
    public static void createTopics(String bootstrap, TelemetryTopics topics, int partitions)
            throws Exception {
        List<NewTopic> create = new ArrayList<>();
        create.add(new NewTopic(topics.prefix() + ".packets", partitions, (short) 1));
        create.add(new NewTopic(topics.prefix() + ".agent", 1, (short) 1));
        for (String channel : TelemetryTopics.FLOW_CHANNELS) {
            create.add(new NewTopic(topics.topicOfChannel(channel), partitions, (short) 1));
        }
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(create).all().get(1, TimeUnit.MINUTES);
        }
    }

    /** A test job's cluster configuration: fast checkpoints, no restarts, no Kryo. */
    public static Configuration jobConfig() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        return conf;
    }

    /** An agent replaying a capture into {@code <prefix>.packets}. */
    public static CaptureAgent agent(
            String bootstrap, TelemetryTopics topics, String agentId, Path capture, double speed)
            throws Exception {
        AgentSettings s =
                AgentSettings.builder()
                        .agentId(agentId)
                        .bootstrapServers(bootstrap)
                        .packetTopic(topics.prefix() + ".packets")
                        .statusTopic(topics.prefix() + ".agent")
                        .replay(capture, speed)
                        .build();
        return new CaptureAgent(s, CaptureAgent.sourcesFor(s));
    }

    /**
     * Waits until {@code purges} flow_purge records are committed, then stops the job with a final
     * savepoint that advances event time to the end (and commits the last transaction).
     */
    public static void drainAfterPurges(
            String bootstrap, TelemetryTopics topics, int purges, JobClient job, Path tmp)
            throws Exception {
        await().atMost(Duration.ofMinutes(2))
                .until(
                        () ->
                                KafkaRecords.values(
                                                        bootstrap,
                                                        List.of(topics.topic("flow_purge")),
                                                        true)
                                                .size()
                                        >= purges);
        job.stopWithSavepoint(
                        true,
                        tmp.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
    }

    /** The telemetry lines of a backfill of {@code capture}, sorted. */
    public static List<String> backfill(Path capture, Path tmp) throws Exception {
        Path out = tmp.resolve("backfill");
        BackfillJob.builder()
                .source(PcapSource.builder().addPaths(List.of(capture)).build())
                .telemetrySink(
                        "flows",
                        NetifyLogSink.builder()
                                .setLogPath(out.toString())
                                .setLogName("flows")
                                .setOverwrite(true)
                                .build())
                .build()
                .execute(StreamExecutionEnvironment.createLocalEnvironment(2));
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("flows.json"))) {
            if (!l.isBlank()) {
                lines.add(l);
            }
        }
        Collections.sort(lines);
        return lines;
    }
}
