package io.flowtap.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of a test's configuration directory that write their logs somewhere else. */
public final class ConfigCopies {
    private ConfigCopies() {}

    /**
     * Copies every file under {@code config} (feeds included) to {@code copy}, with the log path
     * {@code logs} replaced by {@code copyLogs}.
     *
     * @return {@code copy}
     */
    public static Path withLogs(Path config, Path copy, Path logs, Path copyLogs)
            throws IOException {
        try (Stream<Path> files = Files.walk(config)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = copy.resolve(config.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.writeString(
                        to, Files.readString(f).replace(logs.toString(), copyLogs.toString()));
            }
        }
        return copy;
    }
}
