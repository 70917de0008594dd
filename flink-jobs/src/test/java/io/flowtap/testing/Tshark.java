package io.flowtap.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** tshark's per-packet reading of a shared capture, for tests that compare against it. */
public final class Tshark {
    private Tshark() {}

    /**
     * Exports {@code ndpi/<name>} of the shared captures with testdata/scripts/export-packets.sh
     * into {@code dir}; skips the test, saying why, without the captures or tshark.
     *
     * @return the capture and its export
     */
    public static Path[] exportSharedCapture(String name, Path dir) throws Exception {
        Path shared = TestData.sharedPcaps();
        assumeTrue(shared != null, "the shared captures are not beside the repository");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark is not installed");
        Path capture = shared.resolve("ndpi").resolve(name);
        Path tsv = dir.resolve(name + ".packets.tsv");
        Process p =
                new ProcessBuilder(
                                TestData.root().resolve("scripts/export-packets.sh").toString(),
                                capture.toString())
                        .redirectOutput(tsv.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as("tshark export of " + name)
                .isTrue();
        return new Path[] {capture, tsv};
    }
}
