package io.flowtap.connectors.mqtt;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.format.Payloads;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Netify's MQTT sink for one channel: each record published as one message (JSON, or MessagePack,
 * gzip-compressed when the channel says so) to the channel's topic, MQTT 3.1.1.
 *
 * <p>Delivery: with QoS 1 or 2, at-least-once: a checkpoint completes only when the broker has
 * acknowledged every message before it; while the broker is away the client reconnects with backoff
 * (0.5 s doubling to 30 s) and keeps the messages, so a checkpoint waits (and fails after Flink's
 * checkpoint timeout) rather than dropping them. QoS 0 is at-most-once. The password is never
 * logged.
 */
public final class MqttSink implements Sink<TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    public static final String METRIC_PUBLISHED = "mqttPublished";

    private final String host;
    private final int port;
    private final String user;
    private final String pass;
    private final String topic;
    private final int qos;
    private final boolean retain;
    private final PayloadFormat format;
    private final Compressor compressor;
    private final boolean tls;
    private final String caFile;
    private final boolean verifyHostname;

    private MqttSink(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.user = b.user;
        this.pass = b.pass;
        this.topic = b.topic;
        this.qos = b.qos;
        this.retain = b.retain;
        this.format = b.format;
        this.compressor = b.compressor;
        this.tls = b.tls;
        this.caFile = b.caFile;
        this.verifyHostname = b.verifyHostname;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        // Never the password.
        return "MqttSink{"
                + host
                + ":"
                + port
                + (tls ? " TLS" : "")
                + " "
                + topic
                + " qos "
                + qos
                + "}";
    }

    @Override
    public SinkWriter<TelemetryRecord> createWriter(WriterInitContext context) throws IOException {
        return new Writer(context.metricGroup().addGroup("flowtap").counter(METRIC_PUBLISHED));
    }

    private final class Writer implements SinkWriter<TelemetryRecord> {
        private final Mqtt3AsyncClient client;
        private final Counter published;
        private final List<CompletableFuture<Mqtt3Publish>> pending = new ArrayList<>();
        private volatile boolean connected;

        Writer(Counter published) throws IOException {
            this.published = published;
            var b =
                    MqttClient.builder()
                            .useMqttVersion3()
                            .identifier("flowtap-" + UUID.randomUUID())
                            .serverHost(host)
                            .serverPort(port)
                            .automaticReconnect()
                            .initialDelay(500, TimeUnit.MILLISECONDS)
                            .maxDelay(30, TimeUnit.SECONDS)
                            .applyAutomaticReconnect();
            if (tls) {
                var ssl = b.sslConfig();
                if (caFile != null) {
                    ssl.trustManagerFactory(Tls.trusting(Path.of(caFile)));
                }
                if (!verifyHostname) {
                    ssl.hostnameVerifier((hostname, session) -> true);
                }
                ssl.applySslConfig();
            }
            // A certificate the client rejects will not change by retrying: the first connection
            // gives up on it at once, with the TLS error as its cause.
            b.addDisconnectedListener(
                    ctx -> {
                        if (!connected && isTlsFailure(ctx.getCause())) {
                            ctx.getReconnector().reconnect(false);
                        }
                    });
            client = b.buildAsync();
            var connect = client.connectWith().cleanSession(true);
            if (user != null && !user.isEmpty()) {
                connect.simpleAuth()
                        .username(user)
                        .password((pass == null ? "" : pass).getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth();
            }
            try {
                connect.send().get(30, TimeUnit.SECONDS);
                connected = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to " + host + ":" + port, e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                client.disconnect();
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new IOException(
                        "cannot connect to the MQTT broker "
                                + host
                                + ":"
                                + port
                                + (tls ? " (TLS)" : "")
                                + ": "
                                + rootMessage(cause),
                        cause);
            }
        }

        @Override
        public void write(TelemetryRecord record, Context context) throws IOException {
            byte[] payload = Payloads.encode(record.json, format);
            if (compressor == Compressor.GZ) {
                payload = Payloads.gzip(payload);
            }
            pending.add(
                    client.publishWith()
                            .topic(topic)
                            .qos(MqttQos.fromCode(qos))
                            .retain(retain)
                            .payload(payload)
                            .send());
            if (pending.size() >= 10_000) {
                awaitPending();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            awaitPending();
        }

        private void awaitPending() throws IOException {
            for (CompletableFuture<Mqtt3Publish> f : pending) {
                try {
                    f.get();
                    published.inc();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for MQTT acknowledgements", e);
                } catch (ExecutionException e) {
                    throw new IOException(
                            "publishing to "
                                    + topic
                                    + " at "
                                    + host
                                    + ":"
                                    + port
                                    + " failed: "
                                    + e.getCause(),
                            e);
                }
            }
            pending.clear();
        }

        @Override
        public void close() {
            client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    private static boolean isTlsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t + " (" + root + ")";
    }

    /** Builds an {@link MqttSink}. */
    public static final class Builder {
        private String host;
        private int port = 1883;
        private String user;
        private String pass;
        private String topic;
        private int qos = 1;
        private boolean retain;
        private PayloadFormat format = PayloadFormat.JSON;
        private Compressor compressor = Compressor.NONE;
        private boolean tls;
        private String caFile;
        private boolean verifyHostname = true;

        private Builder() {}

        /**
         * Connects over TLS, trusting the certificate authorities of a PEM file, or the JVM's
         * default trust store when {@code caFile} is null.
         */
        public Builder setTls(String caFile, boolean verifyHostname) {
            this.tls = true;
            this.caFile = caFile;
            this.verifyHostname = verifyHostname;
            return this;
        }

        public Builder setHost(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        public Builder setPort(int port) {
            this.port = port;
            return this;
        }

        public Builder setCredentials(String user, String pass) {
            this.user = user;
            this.pass = pass;
            return this;
        }

        /** The topic, variables already expanded. */
        public Builder setTopic(String topic) {
            this.topic = Objects.requireNonNull(topic);
            return this;
        }

        public Builder setQos(int qos) {
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException("QoS is 0, 1 or 2");
            }
            this.qos = qos;
            return this;
        }

        public Builder setRetain(boolean retain) {
            this.retain = retain;
            return this;
        }

        public Builder setFormat(PayloadFormat format) {
            this.format = Objects.requireNonNull(format);
            return this;
        }

        public Builder setCompressor(Compressor compressor) {
            this.compressor = Objects.requireNonNull(compressor);
            return this;
        }

        public MqttSink build() {
            if (host == null || host.isBlank() || topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("an MQTT host and topic are required");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the MQTT port is 1..65535");
            }
            return new MqttSink(this);
        }
    }
}
