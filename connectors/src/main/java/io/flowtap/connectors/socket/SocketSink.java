package io.flowtap.connectors.socket;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.format.Payloads;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netify's socket sink for one channel. {@code tcp://host:port} and {@code unix:///path} bind a
 * server that streams every record to each connected client, one JSON object per line (or
 * MessagePack objects, or each record gzip-compressed and length-prefixed when the channel says
 * so); {@code ws://host:port/path} serves WebSocket clients, one message per record (text for JSON,
 * binary for MessagePack or gzip); {@code udp://host:port} sends each record as one datagram to
 * that address.
 *
 * <p>Delivery: best effort, as a live feed. A client receives the records produced while it is
 * connected; a client that cannot keep up has records dropped (counted in {@value #METRIC_DROPPED})
 * rather than slowing the job; nothing is kept for clients that are not there.
 */
public final class SocketSink implements Sink<TelemetryRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SocketSink.class);

    public static final String METRIC_SENT = "socketRecordsSent";
    public static final String METRIC_DROPPED = "socketRecordsDropped";
    public static final String METRIC_CLIENTS = "socketClients";

    /** Records waiting for one slow client before it starts losing them. */
    private static final int CLIENT_QUEUE = 10_000;

    private final String address;
    private final PayloadFormat format;
    private final Compressor compressor;

    private SocketSink(String address, PayloadFormat format, Compressor compressor) {
        this.address = address;
        this.format = format;
        this.compressor = compressor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SocketSink}. */
    public static final class Builder {
        private String address;
        private PayloadFormat format = PayloadFormat.JSON;
        private Compressor compressor = Compressor.NONE;

        private Builder() {}

        /**
         * {@code tcp://host:port}, {@code unix:///path}, {@code ws://host:port/path} or {@code
         * udp://host:port}.
         */
        public Builder setAddress(String address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder setFormat(PayloadFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder setCompressor(Compressor compressor) {
            this.compressor = Objects.requireNonNull(compressor, "compressor");
            return this;
        }

        /**
         * @throws IllegalArgumentException for other schemes ({@code wss}) or a bad address
         */
        public SocketSink build() {
            if (address == null) {
                throw new IllegalArgumentException("a socket sink needs an address");
            }
            parse(address);
            return new SocketSink(address, format, compressor);
        }
    }

    /** The scheme, socket address and (for {@code ws://}) path of a bind address. */
    static Target parse(String address) {
        URI u;
        try {
            u = new URI(address);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(address + ": not a socket address", e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        switch (scheme) {
            case "tcp":
            case "udp":
            case "ws":
                if (u.getHost() == null || u.getPort() < 1) {
                    throw new IllegalArgumentException(
                            address + ": " + scheme + ":// needs host:port");
                }
                String path =
                        u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
                return new Target(scheme, new InetSocketAddress(u.getHost(), u.getPort()), path);
            case "unix":
                if (u.getPath() == null || u.getPath().isEmpty()) {
                    throw new IllegalArgumentException(address + ": unix:// needs a path");
                }
                return new Target(scheme, UnixDomainSocketAddress.of(u.getPath()), null);
            case "wss":
                throw new IllegalArgumentException(
                        address
                                + ": wss:// is not served; serve ws:// on loopback and let a TLS"
                                + " proxy (nginx, HAProxy) terminate TLS in front of it");
            default:
                throw new IllegalArgumentException(
                        address + ": the schemes are tcp://, unix://, ws:// and udp://");
        }
    }

    record Target(String scheme, SocketAddress address, String path) {}

    @Override
    public SinkWriter<TelemetryRecord> createWriter(WriterInitContext context) throws IOException {
        var metrics = context.metricGroup().addGroup("flowtap");
        Target t = parse(address);
        Counter sent = metrics.counter(METRIC_SENT);
        Counter dropped = metrics.counter(METRIC_DROPPED);
        if (t.scheme().equals("udp")) {
            return new DatagramWriter(t.address(), sent, dropped);
        }
        return new ServerWriter(t, sent, dropped, metrics);
    }

    /** One record as a WebSocket message: text for JSON, binary for MessagePack or gzip. */
    byte[] frame(TelemetryRecord record) throws IOException {
        byte[] payload = Payloads.encode(record.json, format);
        if (compressor == Compressor.GZ) {
            return WebSockets.frame(WebSockets.BINARY, Payloads.gzip(payload));
        }
        return WebSockets.frame(
                format == PayloadFormat.JSON ? WebSockets.TEXT : WebSockets.BINARY, payload);
    }

    /** The bytes of one record on the wire. */
    byte[] encode(TelemetryRecord record) throws IOException {
        byte[] payload = Payloads.encode(record.json, format);
        if (format == PayloadFormat.JSON) {
            payload = java.util.Arrays.copyOf(payload, payload.length + 1);
            payload[payload.length - 1] = '\n';
        }
        if (compressor == Compressor.GZ) {
            // Each record its own gzip member, after its length (4 bytes, big-endian), so a reader
            // can tell where one ends.
            byte[] gz = Payloads.gzip(payload);
            return ByteBuffer.allocate(4 + gz.length).putInt(gz.length).put(gz).array();
        }
        return payload;
    }

    private final class DatagramWriter implements SinkWriter<TelemetryRecord> {
        private final DatagramChannel channel;
        private final SocketAddress target;
        private final Counter sent;
        private final Counter dropped;

        DatagramWriter(SocketAddress target, Counter sent, Counter dropped) throws IOException {
            this.channel = DatagramChannel.open();
            this.target = target;
            this.sent = sent;
            this.dropped = dropped;
        }

        @Override
        public void write(TelemetryRecord record, Context context) throws IOException {
            try {
                channel.send(ByteBuffer.wrap(encode(record)), target);
                sent.inc();
            } catch (IOException e) {
                // Nobody listening, or a record larger than a datagram: a live feed goes on.
                dropped.inc();
            }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private final class ServerWriter implements SinkWriter<TelemetryRecord> {
        private final ServerSocketChannel server;
        private final List<Client> clients = new CopyOnWriteArrayList<>();
        private final Counter sent;
        private final Counter dropped;
        private final Path unixPath;
        private final String webSocketPath;
        private final Thread acceptor;

        ServerWriter(
                Target t, Counter sent, Counter dropped, org.apache.flink.metrics.MetricGroup m)
                throws IOException {
            this.sent = sent;
            this.dropped = dropped;
            this.webSocketPath = t.scheme().equals("ws") ? t.path() : null;
            if (t.scheme().equals("unix")) {
                unixPath = ((UnixDomainSocketAddress) t.address()).getPath();
                Files.deleteIfExists(unixPath);
                server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } else {
                unixPath = null;
                server = ServerSocketChannel.open();
            }
            server.bind(t.address());
            m.gauge(METRIC_CLIENTS, clients::size);
            acceptor = new Thread(this::accept, "flowtap-socket-sink-" + address);
            acceptor.setDaemon(true);
            acceptor.start();
            LOG.info("Socket sink serving {}", address);
        }

        private void accept() {
            while (server.isOpen()) {
                try {
                    SocketChannel c = server.accept();
                    Client client = new Client(c);
                    if (webSocketPath == null) {
                        clients.add(client); // a WebSocket client joins after its handshake
                    }
                    client.start();
                } catch (IOException e) {
                    if (server.isOpen()) {
                        LOG.warn("Socket sink {}: {}", address, e.toString());
                    }
                }
            }
        }

        @Override
        public void write(TelemetryRecord record, Context context) throws IOException {
            if (clients.isEmpty()) {
                return;
            }
            byte[] bytes = webSocketPath == null ? encode(record) : frame(record);
            for (Client c : clients) {
                if (c.queue.offer(bytes)) {
                    sent.inc();
                } else {
                    dropped.inc();
                }
            }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() throws IOException {
            server.close();
            for (Client c : clients) {
                c.finish();
            }
            if (unixPath != null) {
                Files.deleteIfExists(unixPath);
            }
        }

        /** One connected client and the thread that writes to it. */
        private final class Client extends Thread {
            private final SocketChannel channel;
            private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CLIENT_QUEUE);
            private volatile boolean finishing;

            Client(SocketChannel channel) {
                super("flowtap-socket-client");
                setDaemon(true);
                this.channel = channel;
            }

            @Override
            public void run() {
                try {
                    if (webSocketPath != null && !upgrade()) {
                        return;
                    }
                    while (!finishing || !queue.isEmpty()) {
                        byte[] b = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                        if (b != null) {
                            ByteBuffer buf = ByteBuffer.wrap(b);
                            while (buf.hasRemaining()) {
                                channel.write(buf);
                            }
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // The client went away: forget it.
                } finally {
                    clients.remove(this);
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // Closing anyway.
                    }
                }
            }

            /**
             * Answers the WebSocket handshake, then joins the clients and reads the client's frames
             * on a thread of its own: pings are answered, a close ends the connection.
             */
            private boolean upgrade() throws IOException {
                channel.socket().setSoTimeout(10_000);
                var in = channel.socket().getInputStream();
                if (!WebSockets.handshake(
                        in, java.nio.channels.Channels.newOutputStream(channel), webSocketPath)) {
                    return false;
                }
                channel.socket().setSoTimeout(0);
                clients.add(this);
                Thread reader =
                        new Thread(
                                () -> {
                                    try {
                                        while (true) {
                                            WebSockets.Frame f = WebSockets.read(in);
                                            if (f.opcode() == WebSockets.PING) {
                                                queue.offer(
                                                        WebSockets.frame(
                                                                WebSockets.PONG, f.payload()));
                                            } else if (f.opcode() == WebSockets.CLOSE) {
                                                queue.offer(
                                                        WebSockets.frame(
                                                                WebSockets.CLOSE, new byte[0]));
                                                finishing = true;
                                                return;
                                            }
                                        }
                                    } catch (IOException gone) {
                                        finishing = true;
                                    }
                                },
                                "flowtap-websocket-reader");
                reader.setDaemon(true);
                reader.start();
                return true;
            }

            /** Sends what is queued, then closes (end of input or job stop). */
            void finish() {
                if (webSocketPath != null) {
                    // 1001: the server is going away (end of input or job stop).
                    queue.offer(WebSockets.frame(WebSockets.CLOSE, new byte[] {0x03, (byte) 0xE9}));
                }
                finishing = true;
                try {
                    join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
