package io.flowtap.job;

import io.flowtap.connectors.log.NetifyLogSink;
import io.flowtap.testing.Pace;
import io.flowtap.testing.RecordJobs;
import io.flowtap.testing.Streams;

import org.apache.flink.core.execution.JobClient;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The log sink under logrotate's {@code copytruncate}: the file is emptied while it is written. */
class LogSinkITCase {
    @TempDir Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void writingGoesOnAtTheStartOfATruncatedFile() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        Path dir = tmp.resolve("log");
        Path file = dir.resolve("flows.json");
        JobClient job =
                RecordJobs.start(
                        "copytruncate",
                        expected,
                        new Pace<>(30),
                        NetifyLogSink.builder()
                                .setLogPath(dir.toString())
                                .setLogName("flows")
                                .setOverwrite(true)
                                .build());
        // Checkpoints flush every 500 ms; once something is on disk, rotate as copytruncate does.
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Files.exists(file) && Files.size(file) > 0);
        List<String> rotated = Files.readAllLines(file);
        Files.newOutputStream(file).close();
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            assertThat(b).as("no hole of zero bytes").isNotZero();
        }
        List<String> after = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
        ObjectMapper mapper = new ObjectMapper();
        for (String line : after) {
            mapper.readTree(line);
        }
        // The file holds the records written after the truncation: the tail of the input (a
        // flush between the copy and the truncation may lose some, as with any copytruncate).
        assertThat(after).isNotEmpty();
        assertThat(rotated.size() + after.size()).isLessThanOrEqualTo(expected.size());
        assertThat(after)
                .isEqualTo(expected.subList(expected.size() - after.size(), expected.size()));
    }
}
