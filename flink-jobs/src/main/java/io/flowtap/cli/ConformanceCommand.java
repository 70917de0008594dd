package io.flowtap.cli;

import io.flowtap.conformance.Conformance;
import io.flowtap.conformance.ConformanceReport;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code flowtap conformance}: Flowtap against other tools' results on the same captures. */
final class ConformanceCommand {
    static final String HELP =
            String.join(
                    "\n",
                    "usage: flowtap conformance --pcaps <dir> [--markdown <file>]",
                    "",
                    "Runs the backfill job over <dir>/ndpi (nDPI regression pcaps with .out"
                            + " files),",
                    "<dir>/suricata-verify (tests with test.yaml) and compares protocol, hostname,",
                    "SNI and JA4 with ndpiReader, netifyd (<dir>/netifyd-v4-logs) and Suricata.",
                    "",
                    "options:",
                    "  --pcaps <dir>      the captures and their expected results (required)",
                    "  --markdown <file>  write the report there (default: print it)",
                    "  --parallelism <n>  Flink parallelism (default: 2)");

    private final PrintStream out;
    private final PrintStream err;

    ConformanceCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) {
        try {
            Args args =
                    Args.parse(
                            argv,
                            Set.of("--pcaps", "--markdown", "--parallelism"),
                            Set.of("--help"));
            if (args.flag("--help")) {
                out.println(HELP);
                return Flowtap.EXIT_OK;
            }
            Path pcaps = Paths.get(args.required("--pcaps"));
            if (!Files.isDirectory(pcaps)) {
                throw new UsageException(pcaps + ": no such directory");
            }
            int parallelism = args.positiveInt("--parallelism", 2);
            Path work = Files.createTempDirectory("flowtap-conformance");
            ConformanceReport report;
            try {
                report = Conformance.run(pcaps, work, Conformance.localEnvironment(parallelism));
            } finally {
                TempDirs.deleteTree(work);
            }
            String markdown = report.markdown();
            String markdownFile = args.one("--markdown", null);
            if (markdownFile != null) {
                Files.writeString(Paths.get(markdownFile), markdown);
            } else {
                out.print(markdown);
            }
            err.printf(
                    Locale.ROOT,
                    "flowtap conformance: protocol %.1f%%, hostname %.1f%%, ja4 %.1f%%,"
                            + " risks %.1f%% agree%n",
                    100 * report.agreement("protocol"),
                    100 * report.agreement("hostname"),
                    100 * report.agreement("ja4"),
                    100 * report.agreement("risks"));
            return Flowtap.EXIT_OK;
        } catch (UsageException e) {
            err.println("flowtap conformance: " + e.getMessage());
            return Flowtap.EXIT_USAGE;
        } catch (Exception e) {
            err.println("flowtap conformance: failed: " + e);
            return Flowtap.EXIT_FAILED;
        }
    }
}
