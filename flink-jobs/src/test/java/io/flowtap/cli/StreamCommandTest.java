package io.flowtap.cli;

import io.flowtap.testing.Conversations;
import io.flowtap.testing.TelemetryOutput;
import io.flowtap.testing.TestData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flowtap stream --embedded-kafka --replay}, the streaming quick start, as a user runs it: a
 * real broker in a child process, the agent replaying the sample, the stream job on an embedded
 * cluster. Its telemetry must be that of tshark's reading of the capture, and line for line that of
 * {@code flowtap backfill} on the same file.
 */
class StreamCommandTest {
    @TempDir Path tmp;

    private final CommandRunner cli = new CommandRunner();

    @Test
    void quickStartGivesTheBackfillsTelemetry() throws Exception {
        Path sample = TestData.pcap("flowtap-sample.pcap");
        Path stream = tmp.resolve("stream");
        int code =
                cli.run(
                        "stream",
                        "--embedded-kafka",
                        "--replay",
                        sample.toString(),
                        "--out",
                        stream.toString(),
                        "--parallelism",
                        "2",
                        "--quiet");
        assertThat(code).as(cli.err()).isZero();
        // The sample's 2,154 packets (a flow's packets joined into fewer events); the job reads
        // every event the agent sent (the packets' and a counter report for each of the two 15 s
        // update intervals the sample touches) and one end-of-capture marker per partition (4).
        assertThat(cli.err())
                .contains("agent replay: 2,154 frames, 0 discarded")
                .contains(" (2,154 packets), 0 malformed, 31 flows, 31 purged")
                .contains("flowtap.purge 31");
        java.util.regex.Matcher sent =
                java.util.regex.Pattern.compile("([0-9,]+) events sent").matcher(cli.err());
        java.util.regex.Matcher read =
                java.util.regex.Pattern.compile("([0-9,]+) packet events \\(").matcher(cli.err());
        assertThat(sent.find() && read.find()).as(cli.err()).isTrue();
        assertThat(Integer.parseInt(read.group(1).replace(",", "")))
                .isEqualTo(Integer.parseInt(sent.group(1).replace(",", "")) + 4);

        TelemetryOutput telemetry = TelemetryOutput.read(stream.resolve("log"));
        telemetry.assertAllValid();
        assertThat(Conversations.reported(telemetry))
                .isEqualTo(
                        Conversations.expected(
                                TestData.expected("flowtap-sample.conversations.tsv")));
        try (Stream<Path> parquet = Files.walk(stream.resolve("parquet/flows"))) {
            assertThat(parquet.filter(p -> p.toString().endsWith(".parquet"))).isNotEmpty();
        }

        Path backfill = tmp.resolve("backfill");
        assertThat(cli.run("backfill", "--pcap", sample.toString(), "--out", backfill.toString()))
                .as(cli.err())
                .isZero();
        List<String> expected = CommandRunner.sortedLogLines(backfill);
        assertThat(expected).hasSize(133);
        assertThat(CommandRunner.sortedLogLines(stream)).isEqualTo(expected);
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertThat(cli.run("stream")).isEqualTo(2);
        assertThat(cli.err()).contains("either --kafka <bootstrap> or --embedded-kafka");
        assertThat(cli.run("stream", "--embedded-kafka")).isEqualTo(2);
        assertThat(cli.err()).contains("--embedded-kafka needs --replay");
        assertThat(cli.run("stream", "--kafka", "x:1", "--replay", "/no/such.pcap")).isEqualTo(2);
        assertThat(cli.err()).contains("/no/such.pcap: no such file");
        assertThat(cli.run("stream", "--kafka", "x:1", "--idleness", "soon")).isEqualTo(2);
        assertThat(cli.err()).contains("--idleness must be an integer of 0 or more, not 'soon'");
        assertThat(cli.run("stream", "--help")).isZero();
        assertThat(cli.out()).contains("usage: flowtap stream");
    }
}
