package io.flowtap.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A real HTTP server on loopback that receives POSTed telemetry and can be told how to answer the
 * next requests: fail with a status, ask to retry later, reset the connection, or answer too late.
 */
public final class TestEndpoint implements AutoCloseable {
    /** How to answer one request. */
    public sealed interface Answer {}

    public record Status(int code) implements Answer {}

    public record RetryAfter(int seconds) implements Answer {}

    /** Close the connection without an answer. */
    public record Reset() implements Answer {}

    /** Answer 200 after a pause; the body counts as received (the client may not think so). */
    public record Slow(long millis) implements Answer {}

    private HttpServer server;
    private final int port;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<byte[]> accepted = new ArrayList<>();
    private final List<String> contentTypes = new ArrayList<>();
    private final List<String> encodings = new ArrayList<>();
    private final List<String> agentHeaders = new ArrayList<>();
    private int requests;

    public TestEndpoint(Answer... firstAnswers) throws IOException {
        script.addAll(List.of(firstAnswers));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        port = server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /**
     * Stops listening, as a server that goes down: connections are refused until {@link #resume}.
     */
    public synchronized void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public synchronized void resume() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        Answer a;
        synchronized (this) {
            requests++;
            a = script.poll();
        }
        if (a instanceof Reset) {
            x.close();
            return;
        }
        if (a instanceof Status s) {
            x.sendResponseHeaders(s.code(), -1);
            x.close();
            return;
        }
        if (a instanceof RetryAfter r) {
            x.getResponseHeaders().add("Retry-After", Integer.toString(r.seconds()));
            x.sendResponseHeaders(429, -1);
            x.close();
            return;
        }
        if (a instanceof Slow s) {
            try {
                Thread.sleep(s.millis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String encoding = x.getRequestHeaders().getFirst("Content-Encoding");
        byte[] decoded = body;
        if ("gzip".equals(encoding)) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                decoded = in.readAllBytes();
            }
        }
        synchronized (this) {
            accepted.add(decoded);
            contentTypes.add(x.getRequestHeaders().getFirst("Content-Type"));
            encodings.add(encoding);
            agentHeaders.add(x.getRequestHeaders().getFirst("X-UUID"));
        }
        x.sendResponseHeaders(200, 2);
        try (OutputStream out = x.getResponseBody()) {
            out.write("ok".getBytes());
        }
    }

    /** Bodies answered 200, decompressed, in arrival order. */
    public synchronized List<byte[]> accepted() {
        return new ArrayList<>(accepted);
    }

    public synchronized List<String> contentTypes() {
        return new ArrayList<>(contentTypes);
    }

    public synchronized List<String> encodings() {
        return new ArrayList<>(encodings);
    }

    public synchronized List<String> agentHeaders() {
        return new ArrayList<>(agentHeaders);
    }

    public synchronized int requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
