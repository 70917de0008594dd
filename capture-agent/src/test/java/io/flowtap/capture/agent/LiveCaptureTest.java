package io.flowtap.capture.agent;

import io.flowtap.kafka.local.LocalKafka;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;
import io.flowtap.schemas.PacketEvents;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live capture on the loopback interface while a real client talks to a real HTTP server. Skips,
 * saying why, where libpcap is missing or capturing is not permitted.
 */
class LiveCaptureTest {
    private static final String BODY = "hello from a live capture";

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void capturesRealLoopbackTrafficThroughTheFilterIntoKafka() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/hello",
                x -> {
                    byte[] b = BODY.getBytes(StandardCharsets.US_ASCII);
                    x.getResponseHeaders().add("Connection", "close");
                    x.sendResponseHeaders(200, b.length);
                    try (OutputStream o = x.getResponseBody()) {
                        o.write(b);
                    }
                });
        server.start();
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", x -> x.sendResponseHeaders(204, -1));
        other.start();
        int port = server.getAddress().getPort();
        try (LocalKafka kafka = LocalKafka.start()) {
            kafka.createTopics(Map.of("live.packets", 2, "live.status", 1));
            AgentSettings s =
                    AgentSettings.builder()
                            .agentId("live")
                            .bootstrapServers(kafka.bootstrapServers())
                            .packetTopic("live.packets")
                            .statusTopic("live.status")
                            .captureInterface("lo")
                            .bpfFilter("tcp port " + port)
                            .build();
            List<CaptureSource> sources;
            try {
                sources = CaptureAgent.sourcesFor(s);
            } catch (IOException | RuntimeException | LinkageError e) {
                assumeTrue(false, "live capture on 'lo' is not possible here: " + e);
                return;
            }
            try (CaptureAgent agent = new CaptureAgent(s, sources)) {
                agent.start();
                String response = get(port, "/hello");
                get(other.getAddress().getPort(), "/");
                // The connection's few packets are joined into events held for 200 ms; no later
                // packet passes the filter, so only the clock lets them go while the link is quiet
                // (no counters report is due within the 15 s update interval).
                await().atMost(Duration.ofSeconds(10)).until(() -> agent.counters().sent > 0);
                // The capture thread reads with a 100 ms timeout; the stop lets it finish what it
                // has and then sends the end-of-capture marker.
                Thread.sleep(500);
                agent.stop();
                assertThat(response).startsWith("HTTP/1.1 200").endsWith(BODY);
                assertThat(agent.counters().sent).isEqualTo(agent.counters().events);
            }

            List<PacketEvent> events = readEvents(kafka.bootstrapServers(), "live.packets");
            List<PacketRecord> toServer = new ArrayList<>();
            List<PacketRecord> toClient = new ArrayList<>();
            int markers = 0;
            long reportedTcp = 0;
            for (PacketEvent e : events) {
                if (PacketEvents.isEndOfCapture(e)) {
                    markers++;
                    continue;
                }
                if (PacketEvents.isCounters(e)) {
                    reportedTcp += e.getCounters().getTcp();
                    continue;
                }
                // The filter let through only the connection to the first server.
                int lower = e.getFlow().getLowerPort();
                int upper = e.getFlow().getUpperPort();
                assertThat(lower == port || upper == port).isTrue();
                boolean serverIsLower = lower == port;
                for (PacketRecord p : e.getPackets()) {
                    (p.getFromLower() == serverIsLower ? toClient : toServer).add(p);
                }
            }
            assertThat(markers).isEqualTo(2);
            // The decoder's reports count the same TCP segments the filter let through.
            assertThat(reportedTcp).isEqualTo(toServer.size() + toClient.size());
            // The handshake's SYN from the client, the request, the response with the body.
            assertThat(toServer.get(0).getTcpFlags() & 0x12).isEqualTo(0x02);
            assertThat(payloads(toServer)).startsWith("GET /hello HTTP/1.1\r\n");
            assertThat(payloads(toClient)).startsWith("HTTP/1.1 200").endsWith(BODY);
        } finally {
            server.stop(0);
            other.stop(0);
        }
    }

    private static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream()
                    .write(
                            ("GET "
                                            + path
                                            + " HTTP/1.1\r\n"
                                            + "Host: localhost\r\n"
                                            + "Connection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String payloads(List<PacketRecord> packets) {
        StringBuilder sb = new StringBuilder();
        for (PacketRecord p : packets) {
            if (p.getPayload() != null) {
                var b = p.getPayload().duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                sb.append(new String(bytes, StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    private static List<PacketEvent> readEvents(String bootstrap, String topic) throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "live-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<PacketEvent> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int idle = 0;
            while (System.nanoTime() < deadline && (out.isEmpty() || idle < 3)) {
                var records = c.poll(Duration.ofMillis(500));
                idle = records.isEmpty() ? idle + 1 : 0;
                for (var r : records) {
                    out.add(PacketEvents.decode(r.value()));
                }
            }
        }
        return out;
    }
}
