package io.flowtap.bench;

import io.flowtap.testing.Parquet;
import io.flowtap.testing.TestData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backfills run one after another in one JVM write the same records: nothing a run keeps in static
 * state (caches of address texts, digests kept per thread, the embedded cluster's services) changes
 * the next run's output. This is also what makes {@code bench/warm-backfill.sh}'s later runs the
 * same work as its first.
 */
class RepeatedBackfillITCase {
    @TempDir Path tmp;

    @Test
    void everyRunWritesTheSameRecordsAndRows() throws Exception {
        List<Integer> seen = new ArrayList<>();
        List<RepeatedBackfill.RunCost> costs =
                RepeatedBackfill.run(
                        backfill(
                                tmp,
                                TestData.pcap("flowtap-sample.pcap"),
                                TestData.pcap("flowtap-intel.pcap")),
                        3,
                        (run, cost) -> seen.add(run));

        assertThat(seen).containsExactly(1, 2, 3);
        assertThat(costs).hasSize(3);
        for (RepeatedBackfill.RunCost cost : costs) {
            assertThat(cost.cpu()).isPositive();
            assertThat(cost.compilers()).isBetween(0.0, cost.cpu());
            assertThat(cost.collector()).isBetween(0.0, cost.cpu());
        }
        List<String> first = records(tmp.resolve("run-1"));
        assertThat(first).hasSizeGreaterThan(100);
        assertThat(records(tmp.resolve("run-2"))).isEqualTo(first);
        assertThat(records(tmp.resolve("run-3"))).isEqualTo(first);
        List<String> rows = rows(tmp.resolve("run-1"));
        assertThat(rows).isNotEmpty();
        assertThat(rows(tmp.resolve("run-2"))).isEqualTo(rows);
        assertThat(rows(tmp.resolve("run-3"))).isEqualTo(rows);
    }

    @Test
    void refusesACommandThatIsNotABackfillWithAnOutputDirectory() {
        assertThatThrownBy(
                        () ->
                                RepeatedBackfill.run(
                                        List.of("stream", "--out", "x"), 1, (r, c) -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usage");
        assertThatThrownBy(
                        () ->
                                RepeatedBackfill.run(
                                        List.of("backfill", "--pcap", "x.pcap"), 1, (r, c) -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stopsAtAFailedRun() {
        assertThatThrownBy(
                        () ->
                                RepeatedBackfill.run(
                                        backfill(tmp.resolve("out"), tmp.resolve("missing.pcap")),
                                        2,
                                        (r, c) -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run 1 failed with exit code 2");
    }

    private static List<String> backfill(Path out, Path... captures) {
        List<String> command = new ArrayList<>(List.of("backfill"));
        for (Path capture : captures) {
            command.add("--pcap");
            command.add(capture.toString());
        }
        command.addAll(List.of("--out", out.toString(), "--quiet"));
        return command;
    }

    private static List<String> records(Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        try (var files = Files.list(out.resolve("log"))) {
            for (Path f : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        lines.sort(null);
        return lines;
    }

    private static List<String> rows(Path out) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Map<String, Object> row :
                Parquet.query(
                        out.resolve("parquet").resolve("flows"),
                        "SELECT * EXCLUDE (dt, hour) FROM DATASET")) {
            rows.add(row.toString());
        }
        rows.sort(null);
        return rows;
    }
}
