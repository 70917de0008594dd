package io.flowtap.cli;

import io.flowtap.capture.agent.AgentSettings;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.kafka.local.LocalKafka;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code flowtap local-kafka}: a Kafka broker on loopback for trying the agent and the stream job
 * as separate processes on one machine. Prints the bootstrap address and runs until interrupted.
 */
final class LocalKafkaCommand {
    static final String HELP =
            String.join(
                    "\n",
                    "usage: flowtap local-kafka [--dir <dir>]",
                    "",
                    "Starts a single-node Kafka broker (KRaft) on 127.0.0.1 with the default",
                    "topics of the agent and the stream job (flowtap.packets, flowtap.agent,",
                    "flowtap.flows, flowtap.stats, flowtap.purge), prints its bootstrap address on",
                    "standard output and runs until interrupted. Not for production: one node,",
                    "one replica, no security.",
                    "",
                    "options:",
                    "  --dir <dir>   keep the broker's data here (default: a temporary directory,",
                    "                deleted on exit)",
                    "  --partitions <n>  partitions of the packet and telemetry topics",
                    "                (default: 4)",
                    "  --help        this help");

    private final PrintStream out;
    private final PrintStream err;

    LocalKafkaCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) {
        Path dir;
        int partitions;
        try {
            Args args = Args.parse(argv, Set.of("--dir", "--partitions"), Set.of("--help"));
            if (args.flag("--help")) {
                out.println(HELP);
                return Flowtap.EXIT_OK;
            }
            String d = args.one("--dir", null);
            dir = d == null ? null : Paths.get(d);
            partitions = args.positiveInt("--partitions", 4);
        } catch (UsageException e) {
            err.println("flowtap local-kafka: " + e.getMessage());
            return Flowtap.EXIT_USAGE;
        }
        LocalKafka kafka;
        try {
            kafka =
                    dir == null
                            ? LocalKafka.start()
                            : LocalKafka.start(Files.createDirectories(dir), false);
        } catch (IOException e) {
            err.println("flowtap local-kafka: " + e.getMessage());
            return Flowtap.EXIT_FAILED;
        }
        try {
            Map<String, Integer> topics = new LinkedHashMap<>();
            topics.put(AgentSettings.DEFAULT_PACKET_TOPIC, partitions);
            topics.put(AgentSettings.DEFAULT_STATUS_TOPIC, 1);
            TelemetryTopics telemetry = TelemetryTopics.withDefaults();
            for (String channel : TelemetryTopics.FLOW_CHANNELS) {
                topics.put(telemetry.topicOfChannel(channel), partitions);
            }
            kafka.createTopics(topics);
        } catch (IOException e) {
            kafka.close();
            err.println("flowtap local-kafka: " + e.getMessage());
            return Flowtap.EXIT_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    kafka.close();
                                    stopped.countDown();
                                },
                                "flowtap-local-kafka-stop"));
        out.println(kafka.bootstrapServers());
        out.flush();
        err.println(
                "flowtap local-kafka: broker on " + kafka.bootstrapServers() + "; Ctrl-C stops it");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Flowtap.EXIT_OK;
    }
}
