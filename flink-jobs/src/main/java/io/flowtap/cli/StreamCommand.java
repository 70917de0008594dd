package io.flowtap.cli;

import io.flowtap.capture.agent.AgentSettings;
import io.flowtap.capture.agent.CaptureAgent;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.job.StreamJob;
import io.flowtap.kafka.local.LocalKafka;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowtap stream}: the stream job on an embedded Flink cluster, reading packet events from
 * Kafka and writing telemetry topics. With {@code --replay} it also runs an agent that replays a
 * capture into Kafka and ends when the replay's flows are all purged and written; with {@code
 * --embedded-kafka} the broker is a local one too, so one command shows the whole path.
 */
final class StreamCommand {
    static final String HELP =
            String.join(
                    "\n",
                    "usage: flowtap stream (--kafka <bootstrap> | --embedded-kafka) [--replay"
                            + " <file>] [--out <dir>] [options]",
                    "",
                    "Runs the stream job: packet events from Kafka (written by 'flowtap agent'),",
                    "flows tracked in event time, telemetry written exactly once to the topics",
                    "<prefix>.flows (flow, flow_dpi_complete), <prefix>.stats (flow_stats) and",
                    "<prefix>.purge (flow_purge), keyed by flow digest; with --out also as JSON",
                    "lines under <dir>/log/ and Parquet under <dir>/parquet/flows/, as backfill.",
                    "",
                    "With --replay an agent replays the file into Kafka, and the command exits",
                    "once the replay's flows are purged and every record is committed. Without",
                    "it the job runs until interrupted, then stops with a savepoint to resume",
                    "from (--from-savepoint).",
                    "",
                    "options:",
                    "  --kafka <host:port,...>       Kafka bootstrap servers",
                    "  --embedded-kafka              start a local Kafka broker for this run",
                    "  --replay <file>               replay a pcap/pcapng file through an agent",
                    "  --speed <x>                   replay pace (default: 0, as fast as possible;",
                    "                                1 as recorded)",
                    "  --agent-id <id>               the replaying agent's id (default: replay)",
                    "  --replay-interface <name>     interface name for replayed files that",
                    "                                record none (default: pcap, as backfill)",
                    "  --out <dir>                   also write log files and Parquet here",
                    "  --topic <name>                packet event topic (repeatable; default:",
                    "                                flowtap.packets)",
                    "  --telemetry-prefix <prefix>   telemetry topic prefix (default: flowtap)",
                    "  --partitions <n>              partitions of topics this command creates",
                    "                                (default: 4)",
                    "  --group-id <id>               consumer group (default: flowtap-stream)",
                    "  --transactional-id-prefix <p> Kafka transactional id prefix, unique per",
                    "                                job (default: flowtap-stream)",
                    "  --at-least-once               plain producer instead of transactions",
                    "  --out-of-orderness <ms>       how late a packet may be within its",
                    "                                partition (default: 2000)",
                    "  --idleness <ms>               a partition without events for this long",
                    "                                stops holding the watermark (default: 30000,",
                    "                                0 never)",
                    "  --checkpoint-interval <ms>    checkpoint (and commit) interval",
                    "                                (default: 10000; 1000 with --replay)",
                    "  --checkpoint-dir <dir>        where checkpoints and savepoints go",
                    "                                (default: <out>/checkpoints, or a temporary",
                    "                                directory)",
                    "  --from-savepoint <path>       resume from a savepoint or retained"
                            + " checkpoint",
                    "  --parallelism <n>             Flink parallelism (default: number of cores)",
                    "  --cluster <host:port>         submit to a Flink session cluster (its REST",
                    "                                address) instead of running one in process;",
                    "                                directories must be reachable by the cluster",
                    "  --interface-role <role>       lan or wan, for agents that do not say",
                    "  --local-network <cidr>        local network for agents that do not say",
                    "                                (repeatable)",
                    "  --config <dir>                Netify plugin files and flowtap.json (routes"
                            + " of",
                    "                                records to log channels, TTLs, interfaces)",
                    "  --applications <file>         application catalog instead of the bundled",
                    "                                one",
                    "  --consumer-property <k=v>     Kafka consumer property (repeatable)",
                    "  --producer-property <k=v>     Kafka producer property (repeatable)",
                    "  --quiet                       no progress lines, only the summary",
                    "  --help                        this help");

    private static final Set<String> WITH_VALUE =
            Set.of(
                    "--kafka",
                    "--replay",
                    "--speed",
                    "--agent-id",
                    "--replay-interface",
                    "--out",
                    "--topic",
                    "--telemetry-prefix",
                    "--partitions",
                    "--group-id",
                    "--transactional-id-prefix",
                    "--out-of-orderness",
                    "--idleness",
                    "--checkpoint-interval",
                    "--checkpoint-dir",
                    "--from-savepoint",
                    "--parallelism",
                    "--cluster",
                    "--interface-role",
                    "--local-network",
                    "--config",
                    "--applications",
                    "--consumer-property",
                    "--producer-property");
    private static final Set<String> FLAGS =
            Set.of("--embedded-kafka", "--at-least-once", "--quiet", "--help");

    /** How long the flows of a finished replay may take to be purged before the job is drained. */
    private static final Duration PURGE_WAIT = Duration.ofSeconds(60);

    private final PrintStream out;
    private final PrintStream err;

    StreamCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) {
        Options o;
        try {
            Args args = Args.parse(argv, WITH_VALUE, FLAGS);
            if (args.flag("--help")) {
                out.println(HELP);
                return Flowtap.EXIT_OK;
            }
            o = Options.parse(args, err);
        } catch (UsageException | IllegalArgumentException e) {
            err.println("flowtap stream: " + e.getMessage());
            return Flowtap.EXIT_USAGE;
        }
        LocalKafka kafka = null;
        Path scratch = null;
        try {
            if (o.embeddedKafka) {
                err.println("flowtap stream: starting a local Kafka broker...");
                kafka = LocalKafka.start();
                o.bootstrap = kafka.bootstrapServers();
            }
            if (o.checkpointDir == null) {
                scratch = Files.createTempDirectory("flowtap-stream");
                o.checkpointDir =
                        o.out != null && o.replay == null
                                ? o.out.resolve("checkpoints")
                                : scratch.resolve("checkpoints");
            }
            return run(o);
        } catch (IOException e) {
            err.println("flowtap stream: " + e.getMessage());
            return Flowtap.EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("flowtap stream: interrupted");
            return Flowtap.EXIT_FAILED;
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            if (scratch != null) {
                TempDirs.deleteTree(scratch);
            }
        }
    }

    private int run(Options o) throws IOException, InterruptedException {
        StreamJob job = o.job();
        try (TopicAdmin admin = new TopicAdmin(o.bootstrap, o.consumerProperties)) {
            if (o.embeddedKafka || o.replay != null) {
                Map<String, Integer> topics = new LinkedHashMap<>();
                for (String t : o.packetTopics) {
                    topics.put(t, o.partitions);
                }
                topics.put(AgentSettings.DEFAULT_STATUS_TOPIC, 1);
                for (String t : job.telemetryTopics()) {
                    topics.put(t, o.partitions);
                }
                admin.createMissing(topics);
            }
            String runId = UUID.randomUUID().toString();
            Configuration conf = o.clusterConfig(runId);
            StreamExecutionEnvironment env = o.environment(conf);
            JobClient client;
            try {
                client = job.start(env);
            } catch (Exception e) {
                err.println(
                        "flowtap stream: cannot start the job: " + BackfillCommand.rootMessage(e));
                return Flowtap.EXIT_FAILED;
            }
            err.println(
                    "flowtap stream: job "
                            + client.getJobID()
                            + " reading "
                            + String.join(", ", o.packetTopics)
                            + " at "
                            + o.bootstrap);
            int code =
                    o.replay != null
                            ? replayThenDrain(o, admin, client)
                            : runUntilInterrupted(o, client);
            if (code != Flowtap.EXIT_OK) {
                return code;
            }
            summarize(runId, admin, job);
            return Flowtap.EXIT_OK;
        }
    }

    /**
     * Replays the file through an in-process agent, waits until the job has committed offsets up to
     * the end of the packet topics and purged the flows, then drains the job (stop with a final
     * savepoint, which commits the last transactions).
     */
    private int replayThenDrain(Options o, TopicAdmin admin, JobClient client)
            throws IOException, InterruptedException {
        AgentSettings settings = o.agentSettings();
        CaptureAgent.Counters counters;
        try (CaptureAgent agent = new CaptureAgent(settings, CaptureAgent.sourcesFor(settings))) {
            agent.start();
            agent.awaitFinished();
            counters = agent.counters();
        }
        err.println("flowtap stream: agent " + settings.agentId + ": " + counters);
        if (counters.sent < counters.events || counters.otherFailed > 0) {
            err.println("flowtap stream: the agent could not send everything to Kafka");
            client.cancel();
            return Flowtap.EXIT_FAILED;
        }
        Map<TopicPartition, Long> end = admin.endOffsets(o.packetTopics);
        while (!admin.committedReach(o.groupId, end)) {
            if (failed(client)) {
                return Flowtap.EXIT_FAILED;
            }
            Thread.sleep(200);
        }
        ProgressReporter reporter = ProgressReporter.forRun(o.runId);
        long deadline = System.nanoTime() + PURGE_WAIT.toNanos();
        while (reporter != null && System.nanoTime() < deadline) {
            Map<String, Long> t = reporter.totals();
            long flows = t.getOrDefault(Metrics.FLOWS, 0L);
            if (flows > 0 && t.getOrDefault(Metrics.PURGED, 0L) >= flows) {
                break;
            }
            if (failed(client)) {
                return Flowtap.EXIT_FAILED;
            }
            Thread.sleep(200);
        }
        return stop(o, client, true);
    }

    private int runUntilInterrupted(Options o, JobClient client) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stop(o, client, false);
                            try {
                                done.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "flowtap-stream-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            client.getJobExecutionResult().get();
            return Flowtap.EXIT_OK;
        } catch (java.util.concurrent.ExecutionException e) {
            err.println("flowtap stream: job failed: " + BackfillCommand.rootMessage(e));
            return Flowtap.EXIT_FAILED;
        } finally {
            done.countDown();
        }
    }

    private int stop(Options o, JobClient client, boolean drain) {
        try {
            String savepoint =
                    client.stopWithSavepoint(
                                    drain,
                                    o.checkpointDir.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(5, TimeUnit.MINUTES);
            if (!drain) {
                err.println("flowtap stream: stopped; resume with --from-savepoint " + savepoint);
            }
            client.getJobExecutionResult().get(5, TimeUnit.MINUTES);
            return Flowtap.EXIT_OK;
        } catch (Exception e) {
            err.println(
                    "flowtap stream: stopping the job failed: " + BackfillCommand.rootMessage(e));
            return Flowtap.EXIT_FAILED;
        }
    }

    private boolean failed(JobClient client) {
        try {
            JobStatus s = client.getJobStatus().get(30, TimeUnit.SECONDS);
            if (!s.isGloballyTerminalState()) {
                return false;
            }
            try {
                client.getJobExecutionResult().get(30, TimeUnit.SECONDS);
                err.println("flowtap stream: the job ended early (" + s + ")");
            } catch (Exception e) {
                err.println("flowtap stream: job failed: " + BackfillCommand.rootMessage(e));
            }
            return true;
        } catch (Exception e) {
            // An embedded cluster shuts down when its job fails; the result still says why.
            try {
                client.getJobExecutionResult().get(30, TimeUnit.SECONDS);
                err.println("flowtap stream: the job ended early");
            } catch (Exception failure) {
                err.println("flowtap stream: job failed: " + BackfillCommand.rootMessage(failure));
            }
            return true;
        }
    }

    private void summarize(String runId, TopicAdmin admin, StreamJob job) throws IOException {
        ProgressReporter reporter = ProgressReporter.forRun(runId);
        if (reporter != null) {
            try {
                reporter.awaitClosed(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Map<String, Long> t = reporter.totals();
            reporter.forget();
            err.printf(
                    Locale.ROOT,
                    "flowtap stream: %,d packet events (%,d packets), %,d malformed, %,d flows,"
                            + " %,d purged, %,d late packets%n",
                    t.getOrDefault(Metrics.EVENTS, 0L),
                    t.getOrDefault(Metrics.FLOW_PACKETS, 0L),
                    t.getOrDefault(Metrics.MALFORMED, 0L),
                    t.getOrDefault(Metrics.FLOWS, 0L),
                    t.getOrDefault(Metrics.PURGED, 0L),
                    t.getOrDefault(Metrics.LATE, 0L));
        }
        List<String> counts = new ArrayList<>();
        for (String topic : job.telemetryTopics()) {
            counts.add(String.format(Locale.ROOT, "%s %,d", topic, admin.countCommitted(topic)));
        }
        err.println("flowtap stream: committed telemetry: " + String.join(", ", counts));
    }

    /** The command line, checked. */
    static final class Options {
        String bootstrap;
        boolean embeddedKafka;
        Path replay;
        double speed;
        String agentId;
        String replayInterface;
        Path out;
        List<String> packetTopics;
        String telemetryPrefix;
        int partitions;
        String groupId;
        String transactionalIdPrefix;
        boolean atLeastOnce;
        Duration outOfOrderness;
        Duration idleness;
        Duration checkpointInterval;
        Path checkpointDir;
        String fromSavepoint;
        int parallelism;
        String cluster;
        JobOptions.Run run;
        Map<String, String> consumerProperties;
        Map<String, String> producerProperties;
        boolean quiet;
        String runId;

        static Options parse(Args args, PrintStream err) throws UsageException {
            Options o = new Options();
            o.bootstrap = args.one("--kafka", null);
            o.embeddedKafka = args.flag("--embedded-kafka");
            if ((o.bootstrap == null) == !o.embeddedKafka) {
                throw new UsageException("give either --kafka <bootstrap> or --embedded-kafka");
            }
            String replay = args.one("--replay", null);
            if (replay != null) {
                o.replay = Paths.get(replay);
                if (!Files.isRegularFile(o.replay)) {
                    throw new UsageException(replay + ": no such file");
                }
            } else if (o.embeddedKafka) {
                throw new UsageException(
                        "--embedded-kafka needs --replay: nothing else could write to it");
            }
            o.speed = args.nonNegativeDouble("--speed", 0);
            o.agentId = args.one("--agent-id", "replay");
            o.replayInterface =
                    args.one("--replay-interface", AgentSettings.DEFAULT_REPLAY_INTERFACE);
            String outDir = args.one("--out", null);
            o.out = outDir == null ? null : Paths.get(outDir);
            o.packetTopics =
                    args.all("--topic").isEmpty()
                            ? List.of(AgentSettings.DEFAULT_PACKET_TOPIC)
                            : args.all("--topic");
            if (o.replay != null && o.packetTopics.size() > 1) {
                throw new UsageException("--replay writes to one --topic");
            }
            o.telemetryPrefix = args.one("--telemetry-prefix", TelemetryTopics.DEFAULT_PREFIX);
            o.partitions = args.positiveInt("--partitions", 4);
            o.groupId = args.one("--group-id", StreamJob.DEFAULT_GROUP_ID);
            o.transactionalIdPrefix =
                    args.one(
                            "--transactional-id-prefix", StreamJob.DEFAULT_TRANSACTIONAL_ID_PREFIX);
            o.atLeastOnce = args.flag("--at-least-once");
            o.outOfOrderness = Duration.ofMillis(args.nonNegativeInt("--out-of-orderness", 2000));
            o.idleness = Duration.ofMillis(args.nonNegativeInt("--idleness", 30_000));
            o.checkpointInterval =
                    Duration.ofMillis(
                            args.positiveInt(
                                    "--checkpoint-interval", o.replay != null ? 1000 : 10_000));
            String cp = args.one("--checkpoint-dir", null);
            o.checkpointDir = cp == null ? null : Paths.get(cp).toAbsolutePath();
            o.fromSavepoint = args.one("--from-savepoint", null);
            o.parallelism =
                    args.positiveInt("--parallelism", Runtime.getRuntime().availableProcessors());
            o.cluster = args.one("--cluster", null);
            if (o.cluster != null && !o.cluster.matches("[^:]+:\\d{1,5}")) {
                throw new UsageException("--cluster takes host:port, not '" + o.cluster + "'");
            }
            o.run = JobOptions.run(args, o.out, err, "stream");
            o.consumerProperties = args.keyValues("--consumer-property");
            o.producerProperties = args.keyValues("--producer-property");
            o.quiet = args.flag("--quiet");
            return o;
        }

        StreamJob job() {
            StreamJob.Builder b =
                    StreamJob.builder()
                            .bootstrapServers(bootstrap)
                            .packetTopics(packetTopics)
                            .groupId(groupId)
                            .telemetryTopics(new TelemetryTopics(telemetryPrefix))
                            .deliveryGuarantee(
                                    atLeastOnce
                                            ? DeliveryGuarantee.AT_LEAST_ONCE
                                            : DeliveryGuarantee.EXACTLY_ONCE)
                            .transactionalIdPrefix(transactionalIdPrefix)
                            .maxOutOfOrderness(outOfOrderness)
                            .idleness(idleness)
                            .settings(run.settings())
                            .aggregators(run.aggregators())
                            .aggregateRowSink(run.aggregateRowSink(out))
                            .intelRowSink(run.intelRowSink(out));
            consumerProperties.forEach(b::consumerProperty);
            producerProperties.forEach(b::producerProperty);
            run.channels().forEach(b::telemetryChannel);
            b.feedWatch(run.feedWatch());
            var flowRows = run.flowRowSink(out);
            if (flowRows != null) {
                b.flowRowSink(flowRows);
            }
            return b.build();
        }

        AgentSettings agentSettings() {
            AgentSettings.Builder b =
                    AgentSettings.builder()
                            .agentId(agentId)
                            .bootstrapServers(bootstrap)
                            .packetTopic(packetTopics.get(0))
                            .replay(replay, speed)
                            .replayInterface(replayInterface)
                            .payloadPackets(run.settings().maxDetectionPackets())
                            // Counter reports cut at the job's own update interval.
                            .updateInterval(
                                    java.time.Duration.ofMillis(run.settings().updateIntervalMs()));
            producerProperties.forEach(b::producerProperty);
            return b.build();
        }

        /** The embedded cluster, or the session cluster given by {@code --cluster}. */
        StreamExecutionEnvironment environment(Configuration conf) {
            if (cluster == null) {
                return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
            }
            int colon = cluster.lastIndexOf(':');
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createRemoteEnvironment(
                            cluster.substring(0, colon),
                            Integer.parseInt(cluster.substring(colon + 1)),
                            conf,
                            JobJars.ofThisProcess().toArray(new String[0]));
            env.setParallelism(parallelism);
            return env;
        }

        Configuration clusterConfig(String run) {
            this.runId = run;
            Configuration c = BackfillCommand.clusterConfig(run, !quiet);
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
            c.set(
                    CheckpointingOptions.SAVEPOINT_DIRECTORY,
                    checkpointDir.resolve("savepoints").toUri().toString());
            c.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            if (fromSavepoint != null) {
                c.set(StateRecoveryOptions.SAVEPOINT_PATH, fromSavepoint);
            }
            return c;
        }
    }
}
