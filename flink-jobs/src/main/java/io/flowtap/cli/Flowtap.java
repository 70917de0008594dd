package io.flowtap.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code flowtap} command line. */
public final class Flowtap {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE =
            String.join(
                    "\n",
                    "usage: flowtap <command> [options]",
                    "",
                    "commands:",
                    "  backfill      read pcap/pcapng files and write flow telemetry",
                    "  conformance   compare with other tools' results on shared captures",
                    "",
                    "run 'flowtap <command> --help' for the options of a command");

    private Flowtap() {}

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            (argv.isEmpty() ? err : out).println(USAGE);
            return argv.isEmpty() ? EXIT_USAGE : EXIT_OK;
        }
        String command = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        switch (command) {
            case "backfill":
                return new BackfillCommand(out, err).run(rest);
            case "conformance":
                return new ConformanceCommand(out, err).run(rest);
            default:
                err.println("flowtap: unknown command '" + command + "'");
                err.println(USAGE);
                return EXIT_USAGE;
        }
    }
}
