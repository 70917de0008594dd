package io.flowtap.cli;

import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.testing.KafkaRecords;
import io.flowtap.testing.MqttBroker;
import io.flowtap.testing.Streams;
import io.flowtap.testing.TelemetryOutput;
import io.flowtap.testing.TestEndpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One {@code flowtap backfill --config} run with the log, MQTT, HTTP, socket and Kafka sinks all
 * enabled must deliver the same records to each, read back by the kind of client each serves (a
 * file reader, a subscriber, an HTTP server, a datagram socket, a consumer), in JSON and
 * MessagePack, with and without gzip. Each payload is decoded with independent readers
 * (java.util.zip, msgpack-core, Jackson).
 */
class ConfiguredSinksITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir static Path shared;
    @TempDir Path tmp;

    private static LocalKafka kafka;
    private static MqttBroker broker;
    private static List<String> expected;

    @BeforeAll
    static void servers() throws Exception {
        kafka = LocalKafka.start();
        broker = MqttBroker.start(shared.resolve("mqtt"));
        expected = canonical(Streams.backfill(Streams.SAMPLE, shared.resolve("reference")));
        assertThat(expected).hasSize(Streams.SAMPLE_RECORDS);
        TelemetryOutput.of(expected).assertAllValid();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest(name = "{0}, compressor {1}")
    @CsvSource({"json, none", "json, gz", "msgpack, none", "msgpack, gz"})
    void oneBackfillDeliversTheSameRecordsToEverySink(String format, String compressor)
            throws Exception {
        boolean msgpack = format.equals("msgpack");
        boolean gz = compressor.equals("gz");
        String agent = "FT-" + format + "-" + compressor;
        String topic = "ft." + agent + ".all";
        kafka.createTopics(Map.of(topic, 2));
        Path config = Files.createDirectories(tmp.resolve("config"));
        Path logs = tmp.resolve("logs");
        try (TestEndpoint endpoint = new TestEndpoint();
                DatagramChannel udp = DatagramChannel.open()) {
            udp.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            int udpPort = ((InetSocketAddress) udp.getLocalAddress()).getPort();
            List<byte[]> datagrams = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> receive(udp, datagrams), "udp-reader");
            reader.start();
            List<byte[]> published = new CopyOnWriteArrayList<>();
            Mqtt3AsyncClient sub =
                    MqttClient.builder()
                            .useMqttVersion3()
                            .serverHost("127.0.0.1")
                            .serverPort(broker.port())
                            .buildAsync();
            sub.connect().get();
            sub.subscribeWith()
                    .topicFilter("ft/" + agent + "/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> published.add(p.getPayloadAsBytes()))
                    .send()
                    .get();

            write(config, "flowtap.json", "{\"uuid_agent\": \"" + agent + "\"}");
            write(
                    config,
                    "netify-sink-log.json",
                    "{\"overwrite\": true, \"log_path\": \""
                            + logs
                            + "\", \"channels\": {\"all\": {\"log_name\":"
                            + " \"${uuid_agent}-${channel}\"}}}");
            write(
                    config,
                    "netify-sink-mqtt.json",
                    "{\"host\": \"127.0.0.1\", \"port\": "
                            + broker.port()
                            + ", \"user\": \"\", \"pass\": \"\","
                            + " \"topic\": \"ft/${uuid_agent}/${channel}\"}");
            write(
                    config,
                    "netify-sink-http.json",
                    "{\"channels\": {\"all\": {\"url\": \""
                            + endpoint.url("/v1/${uuid_agent}/${channel}")
                            + "\", \"headers\": {\"X-UUID\": \"${uuid_agent}\"}}}}");
            write(
                    config,
                    "netify-sink-socket.json",
                    "{\"channels\": {\"all\": {\"bind_address\": \"udp://127.0.0.1:"
                            + udpPort
                            + "\"}}}");
            write(
                    config,
                    "flowtap-sink-kafka.json",
                    "{\"bootstrap_servers\": \""
                            + kafka.bootstrapServers()
                            + "\", \"channels\": {\"all\": {\"topic\":"
                            + " \"ft.${uuid_agent}.${channel}\"}}}");
            String all = "{\"all\": {\"types\": [\"stream-flows\", \"stream-stats\"]}}";
            write(
                    config,
                    "netify-proc-core.json",
                    String.format(
                            "{\"format\": \"%s\", \"compressor\": \"%s\", \"sinks\": {"
                                    + "\"sink-log\": %s, \"sink-mqtt\": %s, \"sink-http\": %s,"
                                    + " \"sink-socket\": %s, \"sink-kafka\": %s}}",
                            format, compressor, all, all, all, all, all));

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = backfill(config, err);
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

            // Log file: exactly the records, once each.
            Path file = logs.resolve(agent + "-all." + format + (gz ? ".gz" : ""));
            byte[] logged = Files.readAllBytes(file);
            List<String> loggedRecords = decode(gz ? gunzip(logged) : logged, msgpack);
            assertThat(flows(loggedRecords)).as("log file").isEqualTo(expected);
            // stream-stats also carries the statistics records (checked against tshark by
            // StatisticsITCase): the sample touches two 15 s update intervals, each with an
            // interface_stats, a global_stats and an endpoints record. Every sink gets these too.
            List<String> stats = statistics(loggedRecords);
            assertThat(stats).hasSize(6);
            TelemetryOutput.of(stats).assertAllValid();

            // Kafka, exactly-once: a read_committed consumer sees each record once, keyed by the
            // digest of its flow.
            List<String> consumed = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    KafkaRecords.committedOfEndedWriters(
                            kafka.bootstrapServers(), List.of(topic))) {
                List<String> one = decode(gz ? gunzip(r.value()) : r.value(), msgpack);
                assertThat(one).hasSize(1);
                JsonNode record = MAPPER.readTree(one.get(0));
                String type = record.get("type").asText();
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo(
                                record.has("flow")
                                        ? record.path("flow").path("digest").asText()
                                        : type);
                consumed.add(one.get(0));
            }
            assertThat(flows(consumed)).as("Kafka").isEqualTo(expected);
            assertThat(statistics(consumed)).as("Kafka").isEqualTo(stats);

            // HTTP, at-least-once: every record; bodies are batches.
            List<String> posted = new ArrayList<>();
            for (byte[] body : endpoint.accepted()) {
                posted.addAll(decode(body, msgpack));
            }
            assertThat(endpoint.encodings()).containsOnly(gz ? "gzip" : null);
            assertThat(endpoint.agentHeaders()).containsOnly(agent);
            assertDelivered("HTTP", posted, stats);

            // MQTT QoS 1, at-least-once: one message per record.
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> published.size() >= expected.size() + stats.size());
            sub.disconnect().get();
            List<String> messages = new ArrayList<>();
            for (byte[] m : published) {
                List<String> one = decode(gz ? gunzip(m) : m, msgpack);
                assertThat(one).hasSize(1);
                messages.addAll(one);
            }
            assertDelivered("MQTT", messages, stats);

            // UDP: one datagram per record (gzip members after a 4-byte length).
            reader.join(Duration.ofMinutes(1).toMillis());
            List<String> received = new ArrayList<>();
            for (byte[] d : datagrams) {
                byte[] payload = d;
                if (gz) {
                    int length = ByteBuffer.wrap(d).getInt();
                    assertThat(length).isEqualTo(d.length - 4);
                    payload = gunzip(Arrays.copyOfRange(d, 4, d.length));
                }
                List<String> one = decode(payload, msgpack);
                assertThat(one).hasSize(1);
                received.addAll(one);
            }
            assertThat(flows(received)).as("UDP").isEqualTo(expected);
            assertThat(statistics(received)).as("UDP").isEqualTo(stats);
        }
    }

    @org.junit.jupiter.api.Test
    void aMissingKafkaTopicStopsTheRunBeforeItStarts() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        write(
                config,
                "flowtap-sink-kafka.json",
                "{\"bootstrap_servers\": \""
                        + kafka.bootstrapServers()
                        + "\", \"channels\": {\"flows\": {\"topic\": \"no.such.topic\"}}}");
        write(
                config,
                "netify-proc-core.json",
                "{\"sinks\": {\"sink-kafka\": {\"flows\": {\"types\": [\"stream-flows\"]}}}}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = backfill(config, err);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "flowtap backfill: flowtap-sink-kafka.json: a topic of [no.such.topic] does"
                                + " not exist at "
                                + kafka.bootstrapServers());
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    /** {@code flowtap backfill} of the sample with a configuration directory, quietly. */
    private int backfill(Path config, ByteArrayOutputStream err) {
        io.flowtap.testing.Commands.Result r =
                io.flowtap.testing.Commands.backfill(Streams.SAMPLE, tmp.resolve("out"), config);
        err.writeBytes(r.err().getBytes(StandardCharsets.UTF_8));
        return r.code();
    }

    /** At-least-once: every expected record, and nothing else; duplicates allowed. */
    private static void assertDelivered(String sink, List<String> got, List<String> stats) {
        List<String> c = flows(got);
        assertThat(new TreeSet<>(c)).as(sink).containsExactlyElementsOf(new TreeSet<>(expected));
        assertThat(c.size()).as(sink).isGreaterThanOrEqualTo(expected.size());
        assertThat(new TreeSet<>(statistics(got)))
                .as(sink)
                .containsExactlyElementsOf(new TreeSet<>(stats));
    }

    private static final java.util.Set<String> STATISTICS =
            java.util.Set.of("interface_stats", "global_stats", "endpoints");

    private static boolean isStatistics(String record) {
        try {
            return STATISTICS.contains(MAPPER.readTree(record).path("type").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flow telemetry among records, canonical and sorted. */
    private static List<String> flows(List<String> records) {
        return canonical(records.stream().filter(r -> !isStatistics(r)).toList());
    }

    /** The statistics records among records, canonical and sorted. */
    private static List<String> statistics(List<String> records) {
        return canonical(records.stream().filter(ConfiguredSinksITCase::isStatistics).toList());
    }

    private static void receive(DatagramChannel udp, List<byte[]> out) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try {
            // The flow records and the six statistics records of stream-stats.
            while (out.size() < Streams.SAMPLE_RECORDS + 6) {
                buf.clear();
                udp.receive(buf);
                out.add(Arrays.copyOf(buf.array(), buf.position()));
            }
        } catch (IOException closed) {
            // The test is over.
        }
    }

    private static void write(Path dir, String name, String json) throws IOException {
        Files.writeString(dir.resolve(name), json);
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** The records of a payload: JSON lines, or MessagePack objects one after another. */
    private static List<String> decode(byte[] bytes, boolean msgpack) throws IOException {
        List<String> out = new ArrayList<>();
        if (msgpack) {
            try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
                while (u.hasNext()) {
                    out.add(u.unpackValue().toJson());
                }
            }
            return out;
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    /** Records re-serialised by Jackson, sorted: equal records give equal strings. */
    private static List<String> canonical(List<String> records) {
        List<String> out = new ArrayList<>();
        for (String r : records) {
            try {
                out.add(MAPPER.readTree(r).toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Collections.sort(out);
        return out;
    }
}
