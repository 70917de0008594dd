package io.flowtap.cli;

import io.flowtap.config.ConfigError;
import io.flowtap.config.ConfigException;
import io.flowtap.config.ConfigLoader;
import io.flowtap.config.FlowtapConfig;
import io.flowtap.config.LogChannel;
import io.flowtap.config.Route;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeSet;

/** {@code flowtap config}: check a configuration directory, or print a starting set. */
final class ConfigCommand {
    static final String HELP =
            String.join(
                    "\n",
                    "usage: flowtap config check <dir>",
                    "       flowtap config example [--write <dir>]",
                    "",
                    "check    reads every file of <dir> as backfill and stream --config would,",
                    "         prints each mistake (file, JSON path, rule) and what would be",
                    "         written where; exits 1 when there are mistakes",
                    "example  prints a commented starting set of files (or writes them to <dir>)");

    /** The example files, with what each is for. */
    private static final List<String[]> EXAMPLE =
            List.of(
                    new String[] {
                        ConfigLoader.FLOWTAP,
                        "Flowtap's own settings: variables, update interval, TTLs, interfaces"
                    },
                    new String[] {
                        ConfigLoader.CORE,
                        "Netify's core processor: which record types go to which sink channel"
                    },
                    new String[] {
                        ConfigLoader.LOG, "Netify's log sink: a file per channel, names and paths"
                    });

    private final PrintStream out;
    private final PrintStream err;

    ConfigCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) {
        if (argv.isEmpty() || argv.get(0).equals("--help")) {
            (argv.isEmpty() ? err : out).println(HELP);
            return argv.isEmpty() ? Flowtap.EXIT_USAGE : Flowtap.EXIT_OK;
        }
        try {
            switch (argv.get(0)) {
                case "check":
                    if (argv.size() != 2) {
                        throw new UsageException("config check takes one directory");
                    }
                    return check(Paths.get(argv.get(1)));
                case "example":
                    if (argv.size() == 1) {
                        printExample();
                        return Flowtap.EXIT_OK;
                    }
                    if (argv.size() == 3 && argv.get(1).equals("--write")) {
                        return writeExample(Paths.get(argv.get(2)));
                    }
                    throw new UsageException("config example takes no options but --write <dir>");
                default:
                    throw new UsageException("unknown config command '" + argv.get(0) + "'");
            }
        } catch (UsageException e) {
            err.println("flowtap config: " + e.getMessage());
            err.println(HELP);
            return Flowtap.EXIT_USAGE;
        } catch (IOException e) {
            err.println("flowtap config: " + e.getMessage());
            return Flowtap.EXIT_FAILED;
        }
    }

    private int check(Path dir) throws IOException {
        FlowtapConfig config;
        try {
            config = ConfigLoader.load(dir);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                out.println(error);
            }
            err.println("flowtap config: " + dir + ": " + e.errors().size() + " error(s)");
            return Flowtap.EXIT_FAILED;
        }
        for (String w : config.warnings()) {
            out.println("warning: " + w);
        }
        for (Route r : config.routes()) {
            String types = String.join(", ", new TreeSet<>(r.recordTypes()));
            if (!r.sink().equals("sink-log")) {
                String where =
                        switch (r.sink()) {
                            case "sink-http" -> config.httpChannels().get(r.channel()).url();
                            case "sink-socket" ->
                                    config.socketChannels().get(r.channel()).bindAddress();
                            case "sink-kafka" ->
                                    config.kafka().bootstrapServers()
                                            + " topic "
                                            + config.kafka().topics().get(r.channel())
                                            + (config.kafka().exactlyOnce()
                                                    ? " exactly-once"
                                                    : " at-least-once");
                            default ->
                                    config.mqtt().host()
                                            + ":"
                                            + config.mqtt().port()
                                            + " topic "
                                            + r.topic();
                        };
                out.printf(
                        "%s/%s: %s -> %s (%s, %s)%n",
                        r.sink(), r.channel(), types, where, r.format(), r.compressor());
                continue;
            }
            LogChannel c = config.logChannels().get(r.channel());
            out.printf(
                    "%s/%s: %s -> %s/%s%s.json (%s, %s)%n",
                    r.sink(),
                    r.channel(),
                    String.join(", ", new TreeSet<>(r.recordTypes())),
                    c.logPath(),
                    c.logName(),
                    c.overwrite() ? "" : "<yyyyMMdd-HHmmss>",
                    r.format(),
                    r.compressor());
        }
        if (config.parquet() != null) {
            out.println(
                    config.parquet().flows()
                            ? "parquet/flows: one row per purged flow -> "
                                    + config.parquet().path()
                                    + "/flows"
                            : "parquet/flows: disabled");
        }
        out.println(dir + ": valid");
        return Flowtap.EXIT_OK;
    }

    private void printExample() throws IOException {
        for (String[] file : EXAMPLE) {
            out.println("# " + file[0] + ": " + file[1]);
            out.println(example(file[0]).stripTrailing());
            out.println();
        }
    }

    private int writeExample(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String[] file : EXAMPLE) {
            Path target = dir.resolve(file[0]);
            if (Files.exists(target)) {
                err.println("flowtap config: " + target + " exists; not overwritten");
                return Flowtap.EXIT_FAILED;
            }
        }
        for (String[] file : EXAMPLE) {
            Files.writeString(dir.resolve(file[0]), example(file[0]));
        }
        err.println("flowtap config: wrote " + EXAMPLE.size() + " files to " + dir);
        return Flowtap.EXIT_OK;
    }

    private static String example(String name) throws IOException {
        try (InputStream in =
                ConfigCommand.class.getResourceAsStream("/io/flowtap/config/example/" + name)) {
            if (in == null) {
                throw new IOException("example " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
