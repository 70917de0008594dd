package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.mqtt.MqttSink;
import io.flowtap.connectors.pcap.PcapSource;
import io.flowtap.testing.Gate;
import io.flowtap.testing.MqttBroker;
import io.flowtap.testing.RecordJobs;
import io.flowtap.testing.Streams;
import io.flowtap.testing.TestCertificates;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The MQTT sink publishing the sample's telemetry to a real broker (Mosquitto, or Moquette where
 * Mosquitto is not installed), read by a real subscriber; also across a broker restart in the
 * middle of the job.
 */
class MqttSinkITCase {
    @TempDir Path tmp;

    /** A subscriber with a persistent session, so that it gets what a restarted broker kept. */
    private static Mqtt3AsyncClient subscriber(int port, List<byte[]> received) throws Exception {
        Mqtt3AsyncClient c =
                MqttClient.builder()
                        .useMqttVersion3()
                        .identifier("test-subscriber")
                        .serverHost("127.0.0.1")
                        .serverPort(port)
                        .automaticReconnectWithDefaultConfig()
                        .buildAsync();
        c.connectWith().cleanSession(false).send().get(30, TimeUnit.SECONDS);
        c.subscribeWith()
                .topicFilter("netify/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(p.getPayloadAsBytes()))
                .send()
                .get(30, TimeUnit.SECONDS);
        return c;
    }

    private static MqttSink.Builder sink(int port) {
        return MqttSink.builder()
                .setHost("127.0.0.1")
                .setPort(port)
                .setCredentials("flowtap", "secret")
                .setTopic("netify/FT-1/flows")
                .setQos(1);
    }

    private static List<String> normalized(List<String> json) throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String j : json) {
            out.add(m.readTree(j).toString());
        }
        Collections.sort(out);
        return out;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyRecordReachesASubscriberInJsonAndInGzippedMsgpack() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        try (MqttBroker broker = MqttBroker.start(tmp.resolve("mosquitto"))) {
            List<byte[]> received = new CopyOnWriteArrayList<>();
            Mqtt3AsyncClient sub = subscriber(broker.port(), received);
            BackfillJob.builder()
                    .source(PcapSource.builder().addPaths(List.of(Streams.SAMPLE)).build())
                    .telemetrySink("json", sink(broker.port()).build())
                    .telemetrySink(
                            "msgpack",
                            sink(broker.port())
                                    .setTopic("netify/FT-1/packed")
                                    .setFormat(PayloadFormat.MSGPACK)
                                    .setCompressor(Compressor.GZ)
                                    .build())
                    .build()
                    .execute(StreamExecutionEnvironment.createLocalEnvironment(2));
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> received.size() >= 2 * expected.size());
            sub.disconnect().get();
            List<String> json = new ArrayList<>();
            List<String> packed = new ArrayList<>();
            for (byte[] b : received) {
                if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
                    byte[] raw = new GZIPInputStream(new ByteArrayInputStream(b)).readAllBytes();
                    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(raw)) {
                        packed.add(u.unpackValue().toJson());
                    }
                } else {
                    json.add(new String(b, StandardCharsets.UTF_8));
                }
            }
            assertThat(normalized(json)).isEqualTo(normalized(expected));
            assertThat(normalized(packed)).isEqualTo(normalized(expected));
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aBrokerRestartInTheMiddleLosesNothing() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        try (MqttBroker broker = MqttBroker.start(tmp.resolve("mosquitto"))) {
            List<byte[]> received = new CopyOnWriteArrayList<>();
            Mqtt3AsyncClient sub = subscriber(broker.port(), received);
            int half = expected.size() / 2;
            JobClient job =
                    RecordJobs.start(
                            "mqtt-outage",
                            expected,
                            Gate.<TelemetryRecord>closedAt("mqtt-outage", half),
                            sink(broker.port()).build());
            // The first half goes through; then the broker goes away and the second half is
            // published while it is down; then it comes back.
            await().atMost(Duration.ofMinutes(1)).until(() -> received.size() >= half);
            broker.stop();
            Gate.open("mqtt-outage");
            Thread.sleep(2000);
            broker.resume();
            job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
            await().atMost(Duration.ofMinutes(1)).until(() -> received.size() >= expected.size());
            sub.disconnect().get();
            List<String> got = new ArrayList<>();
            for (byte[] b : received) {
                got.add(new String(b, StandardCharsets.UTF_8));
            }
            // At least once: every record, possibly some twice; the duplicates are counted.
            assertThat(new java.util.TreeSet<>(normalized(got)))
                    .containsExactlyElementsOf(new java.util.TreeSet<>(normalized(expected)));
            System.out.printf(
                    "MQTT outage: %d records, %d received, %d duplicates%n",
                    expected.size(), got.size(), got.size() - expected.size());
        }
    }

    /**
     * TLS with the CA file of the broker's certificate: every record arrives; without that CA, or
     * with a host name the certificate does not name, the sink cannot connect and the job fails.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tlsTrustsTheConfiguredCaAndChecksTheHostName() throws Exception {
        assumeTrue(TestCertificates.available(), "openssl is not installed");
        TestCertificates certs = TestCertificates.create(tmp.resolve("certs"));
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        try (MqttBroker broker = MqttBroker.startTls(tmp.resolve("mqtt-tls"), certs)) {
            List<byte[]> received = new CopyOnWriteArrayList<>();
            Mqtt3AsyncClient sub =
                    MqttClient.builder()
                            .useMqttVersion3()
                            .serverHost("localhost")
                            .serverPort(broker.port())
                            .sslConfig()
                            .trustManagerFactory(trusting(certs.caPem))
                            .applySslConfig()
                            .buildAsync();
            sub.connect().get(30, TimeUnit.SECONDS);
            sub.subscribeWith()
                    .topicFilter("netify/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> received.add(p.getPayloadAsBytes()))
                    .send()
                    .get(30, TimeUnit.SECONDS);
            backfill(
                    sink(broker.port())
                            .setHost("localhost")
                            .setTls(certs.caPem.toString(), true)
                            .build());
            await().atMost(Duration.ofMinutes(1)).until(() -> received.size() >= expected.size());
            sub.disconnect().get();
            List<String> got = new ArrayList<>();
            for (byte[] b : received) {
                got.add(new String(b, StandardCharsets.UTF_8));
            }
            assertThat(normalized(got)).isEqualTo(normalized(expected));

            // The JVM's trust store does not know the test CA.
            assertThatThrownBy(
                            () ->
                                    backfill(
                                            sink(broker.port())
                                                    .setHost("localhost")
                                                    .setTls(null, true)
                                                    .build()))
                    .hasStackTraceContaining("cannot connect to the MQTT broker localhost")
                    .hasStackTraceContaining("(TLS)")
                    .hasStackTraceContaining("PKIX path building failed");
            // The certificate names localhost, not 127.0.0.1.
            assertThatThrownBy(
                            () ->
                                    backfill(
                                            sink(broker.port())
                                                    .setTls(certs.caPem.toString(), true)
                                                    .build()))
                    .hasStackTraceContaining("cannot connect to the MQTT broker 127.0.0.1")
                    .hasStackTraceContaining("No subject alternative names matching IP address");
            backfill(sink(broker.port()).setTls(certs.caPem.toString(), false).build());
        }
    }

    private static void backfill(MqttSink sink) throws Exception {
        BackfillJob.builder()
                .source(PcapSource.builder().addPaths(List.of(Streams.SAMPLE)).build())
                .telemetrySink("mqtt", sink)
                .build()
                .execute(StreamExecutionEnvironment.createLocalEnvironment(1));
    }

    private static javax.net.ssl.TrustManagerFactory trusting(Path pem) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(pem)) {
            store.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf =
                javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf;
    }
}
