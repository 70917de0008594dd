package io.flowtap.cli;

import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.testing.KafkaRecords;
import io.flowtap.testing.StandaloneFlink;
import io.flowtap.testing.Streams;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flowtap stream --cluster}: the stream job submitted to a standalone Flink session cluster
 * (a JobManager and a TaskManager in JVMs of their own, with only Flink's libraries), its code and
 * libraries shipped with the job, replaying the sample through a real broker. The telemetry a
 * {@code read_committed} consumer sees is the backfill's, line for line.
 */
class StreamClusterITCase {
    @TempDir Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void streamJobOnAStandaloneCluster() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        List<String> jobClasspath = new ArrayList<>();
        jobClasspath.add(jarOf(Path.of("target", "classes"), tmp.resolve("flowtap-jobs.jar")));
        for (String entry : StandaloneFlink.testClasspath()) {
            if (entry.endsWith(".jar")) {
                jobClasspath.add(entry);
            }
        }
        System.setProperty(JobJars.PROPERTY, String.join(File.pathSeparator, jobClasspath));
        try (LocalKafka kafka = LocalKafka.start();
                StandaloneFlink flink = StandaloneFlink.start(tmp.resolve("flink"), 2)) {
            CommandRunner cli = new CommandRunner();
            int code =
                    cli.run(
                            "stream",
                            "--kafka",
                            kafka.bootstrapServers(),
                            "--cluster",
                            flink.restAddress(),
                            "--replay",
                            Streams.SAMPLE.toString(),
                            "--out",
                            tmp.resolve("out").toString(),
                            "--checkpoint-dir",
                            tmp.resolve("checkpoints").toString(),
                            "--topic",
                            "cluster.packets",
                            "--telemetry-prefix",
                            "cluster",
                            "--group-id",
                            "cluster",
                            "--transactional-id-prefix",
                            "cluster",
                            "--parallelism",
                            "2",
                            "--quiet");
            assertThat(code).as(cli.err()).isZero();
            assertThat(cli.err()).contains("cluster.purge 31");
            // The job ran on the standalone cluster and finished there (drained).
            assertThat(flink.jobsOverview())
                    .contains("\"name\":\"flowtap-stream\"")
                    .contains("\"state\":\"FINISHED\"");
            List<String> committed =
                    KafkaRecords.values(
                            kafka.bootstrapServers(),
                            List.of("cluster.flows", "cluster.stats", "cluster.purge"),
                            true);
            Collections.sort(committed);
            assertThat(committed).isEqualTo(expected);
            assertThat(CommandRunner.sortedLogLines(tmp.resolve("out"))).isEqualTo(expected);
        } finally {
            System.clearProperty(JobJars.PROPERTY);
        }
    }

    /** This module's classes as a jar, since a job ships jars, not directories. */
    private static String jarOf(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar.toAbsolutePath().toString();
    }
}
