package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.http.HttpSink;
import io.flowtap.connectors.pcap.PcapSource;
import io.flowtap.testing.Gate;
import io.flowtap.testing.RecordJobs;
import io.flowtap.testing.Streams;
import io.flowtap.testing.TestEndpoint;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP sink posting a backfill's telemetry to a real HTTP server that fails in the ways
 * endpoints fail. Every record must arrive (duplicates allowed: at-least-once), and an endpoint
 * that refuses, or keeps failing past the retry budget, must fail the job loudly.
 */
class HttpSinkITCase {
    @TempDir Path tmp;

    private static void backfill(HttpSink sink) throws Exception {
        BackfillJob.builder()
                .source(PcapSource.builder().addPaths(List.of(Streams.SAMPLE)).build())
                .telemetrySink("http", sink)
                .build()
                .execute(StreamExecutionEnvironment.createLocalEnvironment(2));
    }

    private static HttpSink.Builder sink(TestEndpoint endpoint) {
        return HttpSink.builder()
                .setUrl(endpoint.url("/v1/flows"))
                .setHeader("X-UUID", "FT-1")
                .setMaxBatchRecords(20)
                .setBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .setTransferTimeout(Duration.ofSeconds(1));
    }

    @Test
    void everyRecordArrivesThroughFailuresGzipped() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        try (TestEndpoint endpoint =
                new TestEndpoint(
                        new TestEndpoint.Status(500),
                        new TestEndpoint.RetryAfter(1),
                        new TestEndpoint.Reset(),
                        new TestEndpoint.Slow(2500),
                        new TestEndpoint.Status(503))) {
            backfill(sink(endpoint).setCompressor(Compressor.GZ).build());
            List<String> received = new ArrayList<>();
            for (byte[] body : endpoint.accepted()) {
                for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                    received.add(line);
                }
            }
            // At least once: the slow answer's batch arrived, and was sent again after the
            // client gave up waiting.
            assertThat(new TreeSet<>(received)).containsExactlyElementsOf(new TreeSet<>(expected));
            assertThat(received.size()).isGreaterThanOrEqualTo(expected.size());
            assertThat(endpoint.requests()).isGreaterThanOrEqualTo(endpoint.accepted().size() + 4);
            assertThat(endpoint.contentTypes()).containsOnly("application/x-ndjson");
            assertThat(endpoint.encodings()).containsOnly("gzip");
            assertThat(endpoint.agentHeaders()).containsOnly("FT-1");
        }
    }

    @Test
    void msgpackBodiesCarryTheSameRecords() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        ObjectMapper mapper = new ObjectMapper();
        try (TestEndpoint endpoint = new TestEndpoint()) {
            backfill(sink(endpoint).setFormat(PayloadFormat.MSGPACK).build());
            List<String> received = new ArrayList<>();
            for (byte[] body : endpoint.accepted()) {
                try (MessageUnpacker u = MessagePack.newDefaultUnpacker(body)) {
                    while (u.hasNext()) {
                        received.add(mapper.readTree(u.unpackValue().toJson()).toString());
                    }
                }
            }
            List<String> want = new ArrayList<>();
            for (String line : expected) {
                want.add(mapper.readTree(line).toString());
            }
            Collections.sort(received);
            Collections.sort(want);
            assertThat(received).isEqualTo(want);
            assertThat(endpoint.contentTypes()).containsOnly("application/msgpack");
        }
    }

    @Test
    void aRefusalFailsTheJobNamingTheAnswer() throws Exception {
        try (TestEndpoint endpoint = new TestEndpoint(new TestEndpoint.Status(403))) {
            assertThatThrownBy(() -> backfill(sink(endpoint).build()))
                    .hasStackTraceContaining(
                            "POST " + endpoint.url("/v1/flows") + " refused: HTTP 403");
        }
    }

    @Test
    void anEndpointThatKeepsFailingStopsTheJobInsteadOfDroppingRecords() throws Exception {
        TestEndpoint.Answer[] failures = new TestEndpoint.Answer[200];
        java.util.Arrays.fill(failures, new TestEndpoint.Status(503));
        try (TestEndpoint endpoint = new TestEndpoint(failures)) {
            assertThatThrownBy(
                            () ->
                                    backfill(
                                            sink(endpoint)
                                                    .setRetryBudget(Duration.ofSeconds(2))
                                                    .build()))
                    .hasStackTraceContaining("kept failing for 2 s (last: HTTP 503)");
            assertThat(endpoint.accepted()).isEmpty();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void anEndpointStoppedAndRestartedMidRunLosesNothing() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        try (TestEndpoint endpoint = new TestEndpoint()) {
            int half = expected.size() / 2;
            JobClient job =
                    RecordJobs.start(
                            "http-outage",
                            expected,
                            Gate.<TelemetryRecord>closedAt("http-outage", half),
                            sink(endpoint).build());
            // The first half is posted (batches of 20 and checkpoint flushes); then the server
            // goes away while the second half is sent, and comes back two seconds later.
            await().atMost(Duration.ofMinutes(1)).until(() -> received(endpoint).size() >= 40);
            endpoint.stop();
            Gate.open("http-outage");
            Thread.sleep(2000);
            int beforeResume = endpoint.requests();
            // Nothing after the gate could get through while the server was down.
            assertThat(received(endpoint).size()).isLessThanOrEqualTo(half);
            endpoint.resume();
            job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
            List<String> got = received(endpoint);
            // At least once: every record, each one or more times; the duplicates are counted.
            assertThat(new TreeSet<>(got)).containsExactlyElementsOf(new TreeSet<>(expected));
            System.out.printf(
                    "HTTP outage: %d records, %d received, %d duplicates, %d requests before"
                            + " the restart%n",
                    expected.size(), got.size(), got.size() - expected.size(), beforeResume);
        }
    }

    private static List<String> received(TestEndpoint endpoint) {
        List<String> out = new ArrayList<>();
        for (byte[] body : endpoint.accepted()) {
            out.addAll(List.of(new String(body, StandardCharsets.UTF_8).split("\n")));
        }
        return out;
    }
}
