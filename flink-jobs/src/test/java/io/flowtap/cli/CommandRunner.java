package io.flowtap.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/** Runs {@code flowtap} commands in-process as a user would, keeping what they print. */
final class CommandRunner {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    int run(String... args) {
        stdout.reset();
        stderr.reset();
        return Flowtap.run(
                Arrays.asList(args),
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** Every telemetry line written under {@code <dir>/log}, sorted: output order is not fixed. */
    static List<String> sortedLogLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("log"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (String l : Files.readAllLines(f)) {
                    if (!l.isBlank()) {
                        lines.add(l);
                    }
                }
            }
        }
        Collections.sort(lines);
        return lines;
    }
}
