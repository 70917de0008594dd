package io.flowtap.intel;

import io.flowtap.capture.agent.AgentSettings;
import io.flowtap.capture.agent.CaptureAgent;
import io.flowtap.capture.agent.ReplaySource;
import io.flowtap.config.ConfigLoader;
import io.flowtap.config.FlowtapConfig;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.intel.watch.FeedWatchSource;
import io.flowtap.job.FlowTracker;
import io.flowtap.job.StreamJob;
import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.testing.Commands;
import io.flowtap.testing.KafkaRecords;
import io.flowtap.testing.Streams;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running stream job takes a new version of a data feed without a restart. A blocklist indicator
 * starts with a feed listing the sample's API server; three agents replay the sample one after
 * another (each under its own interface name, so their flows have their own digests): the first
 * before any change, the second after the feed file was broken (the job reports it and keeps the
 * version in force), the third after it was replaced by one listing the DNS server. Each agent's
 * flows must fire as a backfill with the version then in force does.
 */
class FeedReloadITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String API = "203.0.113.11";
    private static final String DNS = "198.51.100.53";

    @TempDir Path tmp;

    private static void writeConfig(Path dir, Path logs, String feed) throws Exception {
        IntelConfig.write(
                dir,
                logs,
                """
                {"indicator_defaults": {"event_filter": ["dpi_complete"]},
                 "indicators": {"listed": {"enabled": true, "indicator_driver": "blocklist",
                                           "data_feeds": ["blocked"]}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """);
        Files.writeString(dir.resolve("feeds").resolve("blocked.txt"), feed);
        // Ticks every second: an agent's flows end a second after its last packet.
        Files.writeString(dir.resolve("flowtap.json"), "{\"update_interval\": 1}");
    }

    /** The number of flow_intel records a backfill of the sample gives with the feed. */
    private int backfillHits(String name, String feed) throws Exception {
        Path dir = tmp.resolve("backfill-" + name);
        writeConfig(dir, dir.resolve("logs"), feed);
        Commands.Result r = Commands.backfill(Streams.SAMPLE, dir.resolve("out"), dir);
        assertThat(r.code()).as(r.err()).isZero();
        return Files.readAllLines(dir.resolve("logs").resolve("intel.json")).size();
    }

    private static long sum(InMemoryReporter reporter, JobID job, String metric) {
        long n = 0;
        for (Metric m : reporter.findMetrics(job, metric).values()) {
            n += ((Counter) m).getCount();
        }
        return n;
    }

    /** When the last replay started, by the wall clock its times were moved to. */
    private long lastReplayMs;

    /**
     * Replays the sample as a new agent, its times moved to the present. A replay waits until the
     * one before it is over in event time too (its 3.6 s and the second its flows take to end):
     * packets behind the watermark would be late, and an agent's flows end at its end-of-capture
     * marker even while its late packets are still arriving.
     */
    private void replay(String bootstrap, String agent) throws Exception {
        long due = lastReplayMs + 6_000;
        while (System.currentTimeMillis() < due) {
            Thread.sleep(50);
        }
        lastReplayMs = System.currentTimeMillis();
        AgentSettings s =
                AgentSettings.builder()
                        .agentId(agent)
                        .bootstrapServers(bootstrap)
                        .packetTopic("reload.packets")
                        .statusTopic("reload.agent")
                        .replay(Streams.SAMPLE, ReplaySource.AS_FAST_AS_POSSIBLE)
                        .replayInterface(agent)
                        // Each replay later than the last, as if recorded then: on the original
                        // times, a later replay's packets would all be behind the watermark.
                        .replayRebase(true)
                        .build();
        try (CaptureAgent a = new CaptureAgent(s, CaptureAgent.sourcesFor(s))) {
            a.start();
            a.awaitFinished();
        }
    }

    /** Interface to the other addresses of its flow_intel records, from the committed topics. */
    private static Map<String, List<String>> hitsByInterface(String bootstrap) throws Exception {
        Map<String, String> otherIp = new HashMap<>();
        for (String v : KafkaRecords.values(bootstrap, List.of("reload.flows"), true)) {
            JsonNode f = MAPPER.readTree(v).get("flow");
            if (f.has("other_ip")) {
                otherIp.put(f.get("digest").asText(), f.get("other_ip").asText());
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        for (String v : KafkaRecords.values(bootstrap, List.of("reload.intel"), true)) {
            JsonNode n = MAPPER.readTree(v);
            assertThat(n.get("type").asText()).isEqualTo("flow_intel");
            out.computeIfAbsent(n.get("interface").asText(), k -> new ArrayList<>())
                    .add(otherIp.get(n.get("flow").get("digest").asText()));
        }
        return out;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aChangedFeedComesIntoForceWhileTheJobRunsAndABrokenOneDoesNot() throws Exception {
        int apiHits = backfillHits("api", API + "\n");
        int dnsHits = backfillHits("dns", DNS + "\n");
        assertThat(apiHits).isPositive();
        assertThat(dnsHits).isPositive().isNotEqualTo(apiHits);

        Path config = tmp.resolve("config");
        writeConfig(config, tmp.resolve("logs"), "# the API server\n" + API + "\n");
        FlowtapConfig loaded = ConfigLoader.load(config);
        Indicator listed = loaded.flowSettings().indicators().get(0);
        TelemetryTopics topics = new TelemetryTopics("reload");
        InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();
        try (LocalKafka kafka = LocalKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            Streams.createTopics(bootstrap, topics, 2);
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("reload.intel", 2, (short) 1)))
                        .all()
                        .get(1, TimeUnit.MINUTES);
            }
            StreamJob job =
                    StreamJob.builder()
                            .bootstrapServers(bootstrap)
                            .packetTopics(List.of("reload.packets"))
                            .groupId("reload")
                            .telemetryTopics(topics)
                            .transactionalIdPrefix("reload")
                            .maxOutOfOrderness(Duration.ofMillis(100))
                            .settings(loaded.flowSettings())
                            .feedWatch(
                                    FeedWatchSource.of(
                                            config.resolve("feeds"),
                                            listed.feeds(),
                                            Duration.ofMillis(200)))
                            .build();
            assertThat(job.telemetryTopics()).contains("reload.intel");
            Configuration conf = reporter.addToConfiguration(Streams.jobConfig());
            JobClient client =
                    job.start(StreamExecutionEnvironment.createLocalEnvironment(2, conf));
            JobID id = client.getJobID();

            replay(bootstrap, "first");
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    hitsByInterface(bootstrap)
                                                    .getOrDefault("first", List.of())
                                                    .size()
                                            >= apiHits);

            // A line that is no entry: reported once, the version in force stays.
            Files.writeString(
                    config.resolve("feeds").resolve("blocked.txt"), API + "\n10.0.0.0/33\n");
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> sum(reporter, id, FeedWatchSource.METRIC_ERRORS) == 1);
            replay(bootstrap, "second");
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    hitsByInterface(bootstrap)
                                                    .getOrDefault("second", List.of())
                                                    .size()
                                            >= apiHits);

            Files.writeString(config.resolve("feeds").resolve("blocked.txt"), DNS + "\n");
            // Each of the two tracker instances takes the new version.
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> sum(reporter, id, FlowTracker.METRIC_FEED_UPDATES) == 2);
            replay(bootstrap, "third");
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    hitsByInterface(bootstrap)
                                                    .getOrDefault("third", List.of())
                                                    .size()
                                            >= dnsHits);
            assertThat(sum(reporter, id, FeedWatchSource.METRIC_UPDATES)).isEqualTo(1);
            assertThat(sum(reporter, id, FeedWatchSource.METRIC_ERRORS)).isEqualTo(1);
            client.cancel().get(1, TimeUnit.MINUTES);

            Map<String, List<String>> hits = hitsByInterface(bootstrap);
            assertThat(hits.keySet()).containsExactly("first", "second", "third");
            assertThat(hits.get("first")).hasSize(apiHits).containsOnly(API);
            assertThat(hits.get("second")).hasSize(apiHits).containsOnly(API);
            assertThat(hits.get("third")).hasSize(dnsHits).containsOnly(DNS);
        }
    }
}
