package io.flowtap.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The commands' scratch directories (checkpoints, conformance runs). */
final class TempDirs {
    private TempDirs() {}

    /**
     * Deletes a scratch directory, best effort. Flink may still be discarding old checkpoints in it
     * when a job has ended: a file vanishing during the walk starts the walk over, a few times.
     */
    static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // Walked while something else deleted in it: go again.
            }
        }
    }
}
