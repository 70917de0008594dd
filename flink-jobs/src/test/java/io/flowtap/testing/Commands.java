package io.flowtap.testing;

import io.flowtap.cli.Flowtap;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code flowtap} commands run in this JVM, as the tests of configured runs need them. */
public final class Commands {
    private Commands() {}

    /** The exit code and what the command printed on stderr. */
    public record Result(int code, String err) {}

    public static Result run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Flowtap.run(
                        List.of(args),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }

    /** {@code flowtap backfill --pcap <capture> --out <out> --config <config> --quiet}. */
    public static Result backfill(Path capture, Path out, Path config, String... more) {
        List<String> args = new ArrayList<>(List.of("backfill", "--pcap", capture.toString()));
        args.addAll(List.of("--out", out.toString(), "--config", config.toString(), "--quiet"));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }
}
