package io.flowtap.intel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A configuration directory for the intelligence tests: flow records to the log channel {@code
 * flows}, a log channel {@code intel} for the indicators' records, and the given {@code
 * netify-proc-intel.json}; feeds and {@code flowtap.json} are the tests' own.
 */
final class IntelConfig {
    private IntelConfig() {}

    static Path write(Path dir, Path logs, String intel) throws Exception {
        Files.createDirectories(dir.resolve("feeds"));
        Files.writeString(
                dir.resolve("netify-proc-core.json"),
                "{\"sinks\": {\"sink-log\": {\"flows\": {\"types\": [\"stream-flows\"]}}}}");
        Files.writeString(
                dir.resolve("netify-sink-log.json"),
                "{\"overwrite\": true, \"log_path\": \""
                        + logs
                        + "\", \"channels\": {\"flows\": {\"log_name\": \"flows\"},"
                        + " \"intel\": {\"log_name\": \"intel\"}}}");
        Files.writeString(dir.resolve("netify-proc-intel.json"), intel);
        return dir;
    }
}
