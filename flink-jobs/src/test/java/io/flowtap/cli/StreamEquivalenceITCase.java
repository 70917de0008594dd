package io.flowtap.cli;

import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.testing.TestData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Captures the project did not record (nDPI's regression captures beside the repository), each
 * through {@code flowtap backfill} and through an agent, Kafka and {@code flowtap stream}: the two
 * must write the same telemetry, line for line. Skipped where the captures are absent.
 *
 * <p>By default a dozen captures that between them cover the dissectors, fragments, IPv6 and the
 * largest file; {@code -Dflowtap.equivalence=all} runs every capture (about 12 minutes on two
 * cores).
 */
class StreamEquivalenceITCase {
    private static final Set<String> DEFAULT_CAPTURES =
            Set.of(
                    "443-chrome.pcap",
                    "bittorrent_utp.pcap",
                    "dhcp-fuzz.pcapng",
                    "dns_doh.pcap",
                    "http_ipv6.pcap",
                    "ip_fragmented_garbage.pcap",
                    "iphone.pcap",
                    "quic-29.pcap",
                    "ssdp-m-search.pcap",
                    "ssh.pcap",
                    "stun.pcap",
                    "tor.pcap");

    @TempDir Path tmp;

    @Test
    void streamAndBackfillWriteTheSameTelemetryForEveryCapture() throws Exception {
        Path shared = TestData.sharedPcaps();
        assumeTrue(shared != null, "../shared/pcaps not present");
        List<Path> captures;
        try (Stream<Path> s = Files.list(shared.resolve("ndpi"))) {
            boolean all = "all".equals(System.getProperty("flowtap.equivalence"));
            captures =
                    s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng)$"))
                            .filter(
                                    p ->
                                            all
                                                    || DEFAULT_CAPTURES.contains(
                                                            p.getFileName().toString()))
                            .sorted()
                            .toList();
        }
        assertThat(captures).hasSizeGreaterThanOrEqualTo(DEFAULT_CAPTURES.size());
        CommandRunner cli = new CommandRunner();
        List<String> differences = new ArrayList<>();
        long records = 0;
        try (LocalKafka kafka = LocalKafka.start()) {
            int i = 0;
            for (Path capture : captures) {
                i++;
                String name = capture.getFileName().toString();
                Path backfill = tmp.resolve(i + "-backfill");
                assertThat(
                                cli.run(
                                        "backfill",
                                        "--pcap",
                                        capture.toString(),
                                        "--out",
                                        backfill.toString(),
                                        "--parallelism",
                                        "2",
                                        "--quiet"))
                        .as(name + ": " + cli.err())
                        .isZero();
                Path stream = tmp.resolve(i + "-stream");
                String run = "c" + i;
                int code =
                        cli.run(
                                "stream",
                                "--kafka",
                                kafka.bootstrapServers(),
                                "--replay",
                                capture.toString(),
                                "--out",
                                stream.toString(),
                                "--topic",
                                run + ".packets",
                                "--telemetry-prefix",
                                run,
                                "--group-id",
                                run,
                                "--transactional-id-prefix",
                                run,
                                "--checkpoint-interval",
                                "500",
                                "--parallelism",
                                "2",
                                "--quiet");
                assertThat(code).as(name + ": " + cli.err()).isZero();
                List<String> expected = CommandRunner.sortedLogLines(backfill);
                List<String> actual = CommandRunner.sortedLogLines(stream);
                records += expected.size();
                if (!actual.equals(expected)) {
                    differences.add(describe(name, expected, actual));
                }
            }
        }
        assertThat(records).isGreaterThan(500);
        assertThat(differences).isEmpty();
    }

    private static String describe(String name, List<String> expected, List<String> actual) {
        Set<String> missing = new HashSet<>(expected);
        actual.forEach(missing::remove);
        Set<String> extra = new HashSet<>(actual);
        expected.forEach(extra::remove);
        return name
                + ": "
                + expected.size()
                + " backfill lines, "
                + actual.size()
                + " stream lines; only in backfill: "
                + missing.stream().limit(2).toList()
                + "; only in stream: "
                + extra.stream().limit(2).toList();
    }
}
