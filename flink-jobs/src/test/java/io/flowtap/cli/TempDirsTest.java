package io.flowtap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TempDirsTest {
    @TempDir Path tmp;

    @Test
    void deletesNestedTree() throws Exception {
        Path root = tmp.resolve("scratch");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/file"), "x");
        Files.writeString(root.resolve("a/top"), "y");

        TempDirs.deleteTree(root);

        assertThat(root).doesNotExist();
    }

    @Test
    void missingDirectoryIsNoError() {
        TempDirs.deleteTree(tmp.resolve("never-made"));
        assertThat(tmp.resolve("never-made")).doesNotExist();
    }

    /** As Flink discarding old checkpoints while the command cleans up after the job. */
    @Test
    void filesVanishingDuringTheWalkLeaveNothingBehind() throws Exception {
        Path root = tmp.resolve("checkpoints");
        List<Path> files = new ArrayList<>();
        for (int d = 0; d < 20; d++) {
            Path dir = Files.createDirectories(root.resolve("chk-" + d));
            for (int f = 0; f < 100; f++) {
                files.add(Files.writeString(dir.resolve("part-" + f), "state"));
            }
        }
        Thread discarder =
                new Thread(
                        () -> {
                            for (int i = files.size() - 1; i >= 0; i--) {
                                files.get(i).toFile().delete();
                            }
                        });
        discarder.start();

        TempDirs.deleteTree(root);
        discarder.join();

        assertThat(root).doesNotExist();
    }
}
