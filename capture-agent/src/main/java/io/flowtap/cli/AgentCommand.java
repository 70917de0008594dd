package io.flowtap.cli;

import io.flowtap.capture.agent.AgentSettings;
import io.flowtap.capture.agent.CaptureAgent;
import io.flowtap.capture.agent.CaptureSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowtap agent}: captures packets on interfaces, or replays a capture file, and streams
 * packet events to Kafka. Needs no Flink: an edge host runs it from the capture-agent jar and its
 * dependencies.
 */
public final class AgentCommand {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    static final String HELP =
            String.join(
                    "\n",
                    "usage: flowtap agent --kafka <bootstrap> (--interface <name> ... |"
                            + " --replay <file>) [options]",
                    "",
                    "Captures packets and streams packet events to a Kafka topic, keyed so that",
                    "both directions of a flow land in one partition, with the agent's own",
                    "telemetry (agent_hello, agent_status, interfaces, interface_stats,",
                    "global_stats) on a status topic. A replay ends by itself; live capture runs",
                    "until interrupted (Ctrl-C, SIGTERM). Either way the agent flushes and sends",
                    "an end-of-capture marker so the stream job ends the agent's flows.",
                    "",
                    "options:",
                    "  --kafka <host:port,...>      Kafka bootstrap servers (required)",
                    "  --agent-id <id>              this agent's id, part of every flow key",
                    "                               (default: the host name)",
                    "  --interface <name>           capture live on an interface (repeatable)",
                    "  --replay <file>              replay a pcap/pcapng file instead",
                    "  --speed <x>                  replay pace: 1 as recorded (default), 2 twice",
                    "                               as fast, 0 as fast as possible",
                    "  --replay-interface <name>    interface name for replayed files that record",
                    "                               none (default: pcap, as backfill)",
                    "  --loop <n>                   play the file n times, each pass continuing",
                    "                               in time after the previous one",
                    "  --rebase-time                stamp replayed packets with the present time,",
                    "                               as if captured live",
                    "  --topic <name>               packet event topic (default: "
                            + AgentSettings.DEFAULT_PACKET_TOPIC
                            + ")",
                    "  --status-topic <name>        agent telemetry topic (default: "
                            + AgentSettings.DEFAULT_STATUS_TOPIC
                            + "; may be",
                    "                               the packet topic)",
                    "  --bpf <expression>           capture filter (tcpdump syntax)",
                    "  --snaplen <bytes>            snap length (default: 65535)",
                    "  --no-promisc                 do not put interfaces in promiscuous mode",
                    "  --interface-role <role>      lan or wan (default: lan)",
                    "  --local-network <cidr>       local network (repeatable; default for lan:",
                    "                               the private and reserved ranges)",
                    "  --payload-packets <n>        packets per flow that carry payload for DPI",
                    "                               (default: 32)",
                    "  --flow-table <n>             flows remembered for payload budgets",
                    "                               (default: 65536, least recent evicted)",
                    "  --queue <n>                  events held while Kafka is slow; beyond",
                    "                               this they are dropped and counted",
                    "                               (default: 65536)",
                    "  --coalesce-packets <n>       packets of a flow joined into one event at",
                    "                               most (default: 64; 1: an event per packet)",
                    "  --coalesce-delay <ms>        how long an event waits for more packets at",
                    "                               most, which adds to the latency of the",
                    "                               records it leads to (default: 50)",
                    "  --update-interval <seconds>  status record interval (default: 15)",
                    "  --producer-config <file>     Kafka producer properties file (TLS, SASL)",
                    "  --producer-property <k=v>    one producer property (repeatable; wins over",
                    "                               the file)",
                    "  --quiet                      no status lines, only the summary",
                    "  --help                       this help");

    private static final Set<String> WITH_VALUE =
            Set.of(
                    "--kafka",
                    "--agent-id",
                    "--interface",
                    "--replay",
                    "--speed",
                    "--replay-interface",
                    "--loop",
                    "--topic",
                    "--status-topic",
                    "--bpf",
                    "--snaplen",
                    "--interface-role",
                    "--local-network",
                    "--payload-packets",
                    "--flow-table",
                    "--queue",
                    "--coalesce-packets",
                    "--coalesce-delay",
                    "--update-interval",
                    "--producer-config",
                    "--producer-property");
    private static final Set<String> FLAGS =
            Set.of("--no-promisc", "--rebase-time", "--quiet", "--help");

    private final PrintStream out;
    private final PrintStream err;

    public AgentCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] argv) {
        System.exit(new AgentCommand(System.out, System.err).run(Arrays.asList(argv)));
    }

    /** Runs the agent until its replay ends or the process is told to stop. */
    public int run(List<String> argv) {
        AgentSettings settings;
        boolean quiet;
        try {
            Args args = Args.parse(argv, WITH_VALUE, FLAGS);
            if (args.flag("--help")) {
                out.println(HELP);
                return EXIT_OK;
            }
            settings = settings(args);
            quiet = args.flag("--quiet");
        } catch (UsageException | IllegalArgumentException e) {
            err.println("flowtap agent: " + e.getMessage());
            return EXIT_USAGE;
        }
        List<CaptureSource> sources;
        try {
            sources = CaptureAgent.sourcesFor(settings);
        } catch (IOException e) {
            err.println("flowtap agent: " + e.getMessage());
            return EXIT_FAILED;
        }
        return run(new CaptureAgent(settings, sources), settings, quiet);
    }

    /** Builds the agent's settings from the command line. */
    static AgentSettings settings(Args args) throws UsageException {
        AgentSettings.Builder b =
                AgentSettings.builder()
                        .bootstrapServers(args.required("--kafka"))
                        .agentId(args.one("--agent-id", hostName()))
                        .packetTopic(args.one("--topic", AgentSettings.DEFAULT_PACKET_TOPIC))
                        .statusTopic(args.one("--status-topic", AgentSettings.DEFAULT_STATUS_TOPIC))
                        .bpfFilter(args.one("--bpf", null))
                        .snapLength(args.positiveInt("--snaplen", 65535))
                        .promiscuous(!args.flag("--no-promisc"))
                        .interfaceRole(args.one("--interface-role", "lan"))
                        .flowTableSize(args.positiveInt("--flow-table", 65_536))
                        .queueCapacity(args.positiveInt("--queue", 65_536))
                        .coalesce(
                                args.positiveInt("--coalesce-packets", 64),
                                java.time.Duration.ofMillis(
                                        args.positiveInt("--coalesce-delay", 50)))
                        .updateInterval(
                                Duration.ofSeconds(args.positiveInt("--update-interval", 15)));
        b.payloadPackets(args.nonNegativeInt("--payload-packets", 32));
        for (String itf : args.all("--interface")) {
            b.captureInterface(itf);
        }
        String replay = args.one("--replay", null);
        if (replay != null) {
            Path file = Path.of(replay);
            if (!Files.isRegularFile(file)) {
                throw new UsageException(replay + ": no such file");
            }
            b.replay(file, args.nonNegativeDouble("--speed", 1));
            b.replayInterface(
                    args.one("--replay-interface", AgentSettings.DEFAULT_REPLAY_INTERFACE));
            b.replayLoops(args.positiveInt("--loop", 1));
            b.replayRebase(args.flag("--rebase-time"));
        } else if (args.one("--speed", null) != null
                || args.one("--loop", null) != null
                || args.flag("--rebase-time")) {
            throw new UsageException("--speed, --loop and --rebase-time apply to --replay only");
        }
        for (String cidr : args.all("--local-network")) {
            b.localNetwork(cidr);
        }
        String config = args.one("--producer-config", null);
        if (config != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(config))) {
                p.load(in);
            } catch (IOException e) {
                throw new UsageException(config + ": cannot read producer properties: " + e);
            }
            for (String key : p.stringPropertyNames()) {
                b.producerProperty(key, p.getProperty(key));
            }
        }
        args.keyValues("--producer-property").forEach(b::producerProperty);
        return b.build();
    }

    private int run(CaptureAgent agent, AgentSettings settings, boolean quiet) {
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            try {
                                agent.stop();
                                // Let the main thread print the summary before the JVM goes.
                                reported.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "flowtap-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (agent) {
            String what =
                    settings.replayFile != null
                            ? "replaying " + settings.replayFile
                            : "capturing on " + String.join(", ", settings.interfaces);
            err.println(
                    "flowtap agent: "
                            + settings.agentId
                            + " "
                            + what
                            + " into "
                            + settings.packetTopic
                            + " at "
                            + settings.bootstrapServers);
            agent.start();
            long intervalMs = settings.updateInterval.toMillis();
            while (!agent.awaitFinished(intervalMs, TimeUnit.MILLISECONDS)) {
                if (!quiet) {
                    err.println("flowtap agent: " + agent.counters());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            CaptureAgent.Counters c = agent.counters();
            err.println("flowtap agent: done: " + c);
            if (agent.captureError() != null) {
                err.println("flowtap agent: capture failed: " + agent.captureError().getMessage());
                return EXIT_FAILED;
            }
            long lost = c.sendFailed + c.queueDropped + c.captureDropped + c.otherFailed;
            if (lost > 0) {
                err.println(
                        "flowtap agent: "
                                + lost
                                + " event(s) or record(s) did not reach Kafka"
                                + (c.lastSendError == null
                                        ? ""
                                        : "; last error: " + c.lastSendError));
                return EXIT_FAILED;
            }
            return EXIT_OK;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook is running.
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "agent";
        }
    }
}
