package io.flowtap.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the project's own test captures and their expected results live. */
public final class TestData {
    private TestData() {}

    public static Path root() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata").resolve("pcap"))) {
                return p.resolve("testdata");
            }
        }
        throw new IllegalStateException(
                "testdata/ not found above " + Paths.get("").toAbsolutePath());
    }

    public static Path pcap(String name) {
        return root().resolve("pcap").resolve(name);
    }

    public static Path expected(String name) {
        return root().resolve("expected").resolve(name);
    }

    /** The shared conformance captures beside the repository, or null when absent. */
    public static Path sharedPcaps() {
        Path p = root().getParent().getParent().resolve("shared").resolve("pcaps");
        return Files.isDirectory(p) ? p : null;
    }
}
