package io.flowtap.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code flowtap} command line. */
public final class Flowtap {
    static final int EXIT_OK = AgentCommand.EXIT_OK;
    static final int EXIT_FAILED = AgentCommand.EXIT_FAILED;
    static final int EXIT_USAGE = AgentCommand.EXIT_USAGE;

    private static final String USAGE =
            String.join(
                    "\n",
                    "usage: flowtap <command> [options]",
                    "",
                    "commands:",
                    "  agent         capture packets (or replay a file) into Kafka",
                    "  backfill      read pcap/pcapng files and write flow telemetry",
                    "  stream        turn packet events from Kafka into telemetry topics",
                    "  config        check a configuration directory, or print an example",
                    "  conformance   compare with other tools' results on shared captures",
                    "  local-kafka   run a single-node Kafka broker on loopback for trials",
                    "",
                    "run 'flowtap <command> --help' for the options of a command");

    private Flowtap() {}

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    /** Runs one command in this JVM, printing to the given streams; returns its exit code. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            (argv.isEmpty() ? err : out).println(USAGE);
            return argv.isEmpty() ? EXIT_USAGE : EXIT_OK;
        }
        String command = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        switch (command) {
            case "agent":
                return new AgentCommand(out, err).run(rest);
            case "backfill":
                return new BackfillCommand(out, err).run(rest);
            case "stream":
                return new StreamCommand(out, err).run(rest);
            case "local-kafka":
                return new LocalKafkaCommand(out, err).run(rest);
            case "config":
                return new ConfigCommand(out, err).run(rest);
            case "conformance":
                return new ConformanceCommand(out, err).run(rest);
            default:
                err.println("flowtap: unknown command '" + command + "'");
                err.println(USAGE);
                return EXIT_USAGE;
        }
    }
}
