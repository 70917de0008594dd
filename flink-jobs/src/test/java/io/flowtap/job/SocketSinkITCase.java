package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.socket.SocketSink;
import io.flowtap.testing.Streams;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The socket sink serving the sample's telemetry over TCP and a Unix socket to a real client, and
 * sending it as UDP datagrams to a real receiver: what the client gets is the backfill's records.
 * The records are held until the client is connected, since a live feed gives nothing to clients
 * that are not there yet.
 */
class SocketSinkITCase {
    /** Opened by the test once its client is connected; the job's records wait for it. */
    static volatile CountDownLatch clientReady;

    @TempDir Path tmp;

    private JobClient startJob(List<String> lines, SocketSink sink) throws Exception {
        List<TelemetryRecord> records = new ArrayList<>();
        for (String l : lines) {
            int i = l.indexOf("\"type\":\"") + 8;
            records.add(
                    new TelemetryRecord(
                            l.substring(i, l.indexOf('"', i)),
                            null,
                            0,
                            l.getBytes(StandardCharsets.UTF_8)));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        env.fromData(
                        TypeInformation.of(TelemetryRecord.class),
                        records.toArray(new TelemetryRecord[0]))
                .map(
                        r -> {
                            clientReady.await();
                            return r;
                        })
                .returns(TelemetryRecord.class)
                .sinkTo(sink);
        return env.executeAsync("socket-sink-test");
    }

    private static List<String> readAll(SocketChannel c) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        while (c.read(buf) >= 0) {
            all.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        List<String> lines =
                new ArrayList<>(List.of(all.toString(StandardCharsets.UTF_8).split("\n")));
        Collections.sort(lines);
        return lines;
    }

    private static SocketChannel connect(SocketAddress a, StandardProtocolFamily family)
            throws Exception {
        for (int attempt = 0; ; attempt++) {
            SocketChannel c = SocketChannel.open(family);
            try {
                c.connect(a);
                return c;
            } catch (IOException notYet) {
                c.close();
                if (attempt > 600) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    private void serve(String address, SocketAddress connectTo, StandardProtocolFamily family)
            throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        clientReady = new CountDownLatch(1);
        JobClient job = startJob(expected, SocketSink.builder().setAddress(address).build());
        try (SocketChannel client = connect(connectTo, family)) {
            // The server registers the connection right after accepting it.
            Thread.sleep(1000);
            clientReady.countDown();
            List<String> received = readAll(client);
            assertThat(received).isEqualTo(expected);
        }
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tcpClientsGetEveryRecordAsJsonLines() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        serve(
                "tcp://127.0.0.1:" + port,
                new InetSocketAddress("127.0.0.1", port),
                StandardProtocolFamily.INET);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void unixSocketClientsGetEveryRecord() throws Exception {
        Path socket = tmp.resolve("flows.sock");
        serve("unix://" + socket, UnixDomainSocketAddress.of(socket), StandardProtocolFamily.UNIX);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void webSocketClientsGetOneTextMessagePerRecord() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        List<String> received = new ArrayList<>();
        for (Object m : webSocketMessages(expected, PayloadFormat.JSON, Compressor.NONE)) {
            received.add((String) m);
        }
        Collections.sort(received);
        assertThat(received).isEqualTo(expected);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void webSocketClientsGetGzippedMsgpackAsBinaryMessages() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        com.fasterxml.jackson.databind.ObjectMapper mapper =
                new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> received = new ArrayList<>();
        for (Object m : webSocketMessages(expected, PayloadFormat.MSGPACK, Compressor.GZ)) {
            byte[] packed;
            try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream((byte[]) m))) {
                packed = in.readAllBytes();
            }
            try (var u = org.msgpack.core.MessagePack.newDefaultUnpacker(packed)) {
                received.add(mapper.readTree(u.unpackValue().toJson()).toString());
                assertThat(u.hasNext()).isFalse();
            }
        }
        List<String> want = new ArrayList<>();
        for (String l : expected) {
            want.add(mapper.readTree(l).toString());
        }
        Collections.sort(received);
        Collections.sort(want);
        assertThat(received).isEqualTo(want);
    }

    /**
     * The messages a WebSocket client (the JDK's own) receives from a {@code ws://} channel until
     * the server closes: Strings for text messages, byte arrays for binary ones. A request for
     * another path is refused.
     */
    private List<Object> webSocketMessages(
            List<String> records, PayloadFormat format, Compressor compressor) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        clientReady = new CountDownLatch(1);
        JobClient job =
                startJob(
                        records,
                        SocketSink.builder()
                                .setAddress("ws://127.0.0.1:" + port + "/flows")
                                .setFormat(format)
                                .setCompressor(compressor)
                                .build());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<Object> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Integer> closed =
                new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket.Listener listener =
                new java.net.http.WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();
                    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(
                            java.net.http.WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(text.toString());
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onBinary(
                            java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        binary.writeBytes(b);
                        if (last) {
                            messages.add(binary.toByteArray());
                            binary.reset();
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(
                            java.net.http.WebSocket ws, int status, String reason) {
                        closed.complete(status);
                        return null;
                    }

                    @Override
                    public void onError(java.net.http.WebSocket ws, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                };
        java.net.URI uri = java.net.URI.create("ws://127.0.0.1:" + port + "/flows");
        java.net.http.WebSocket ws = null;
        for (int attempt = 0; ws == null; attempt++) {
            try {
                ws = http.newWebSocketBuilder().buildAsync(uri, listener).get();
            } catch (java.util.concurrent.ExecutionException notYet) {
                if (attempt > 600) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
        assertThatThrownBy(
                        () ->
                                http.newWebSocketBuilder()
                                        .buildAsync(
                                                java.net.URI.create(
                                                        "ws://127.0.0.1:" + port + "/other"),
                                                new java.net.http.WebSocket.Listener() {})
                                        .get())
                .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
                .hasStackTraceContaining("status code 404");
        clientReady.countDown();
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        // The server says it is going away when the job ends.
        assertThat(closed.get(1, TimeUnit.MINUTES)).isEqualTo(1001);
        assertThat(messages).hasSameSizeAs(records);
        return messages;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void udpDatagramsCarryOneRecordEach() throws Exception {
        List<String> expected = Streams.backfill(Streams.SAMPLE, tmp);
        try (DatagramChannel receiver = DatagramChannel.open()) {
            receiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
            receiver.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
            clientReady = new CountDownLatch(1);
            clientReady.countDown();
            JobClient job =
                    startJob(
                            expected,
                            SocketSink.builder().setAddress("udp://127.0.0.1:" + port).build());
            List<String> received = new ArrayList<>();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (received.size() < expected.size()) {
                buf.clear();
                receiver.receive(buf);
                received.add(
                        new String(buf.array(), 0, buf.position() - 1, StandardCharsets.UTF_8));
            }
            Collections.sort(received);
            assertThat(received).isEqualTo(expected);
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        }
    }
}
