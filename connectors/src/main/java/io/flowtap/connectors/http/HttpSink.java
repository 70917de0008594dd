package io.flowtap.connectors.http;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.format.Payloads;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Netify's HTTP sink for one channel: records POSTed in batches to a URL, as JSON lines ({@code
 * application/x-ndjson}) or MessagePack objects one after the other ({@code application/msgpack}),
 * gzip-compressed with {@code Content-Encoding: gzip} when the compressor is {@code gz}.
 *
 * <p>Delivery: at-least-once. A batch is sent when it holds {@link Builder#setMaxBatchRecords}
 * records and at every checkpoint, and the checkpoint completes only once the endpoint has answered
 * 2xx, so a restore re-sends at most what followed the last checkpoint. Connection errors,
 * timeouts, 429 and 5xx are retried with exponential backoff (honouring {@code Retry-After}); once
 * the retry budget is spent, or on any other status, the job fails, naming the URL and the answer,
 * rather than dropping records.
 */
public final class HttpSink implements Sink<TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    public static final String METRIC_POSTS = "httpPosts";
    public static final String METRIC_RETRIES = "httpRetries";
    public static final String METRIC_RECORDS = "httpRecordsSent";

    private final String url;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final Duration transferTimeout;
    private final PayloadFormat format;
    private final Compressor compressor;
    private final int maxBatchRecords;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Duration retryBudget;

    private HttpSink(Builder b) {
        this.url = b.url;
        this.headers = new LinkedHashMap<>(b.headers);
        this.connectTimeout = b.connectTimeout;
        this.transferTimeout = b.transferTimeout;
        this.format = b.format;
        this.compressor = b.compressor;
        this.maxBatchRecords = b.maxBatchRecords;
        this.firstBackoff = b.firstBackoff;
        this.maxBackoff = b.maxBackoff;
        this.retryBudget = b.retryBudget;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SinkWriter<TelemetryRecord> createWriter(WriterInitContext context) {
        return new Writer(context.metricGroup().addGroup("flowtap"));
    }

    private final class Writer implements SinkWriter<TelemetryRecord> {
        private final HttpClient client;
        private final ByteArrayOutputStream batch = new ByteArrayOutputStream(1 << 16);
        private final Counter posts;
        private final Counter retries;
        private final Counter records;
        private int batched;

        Writer(MetricGroup metrics) {
            this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
            this.posts = metrics.counter(METRIC_POSTS);
            this.retries = metrics.counter(METRIC_RETRIES);
            this.records = metrics.counter(METRIC_RECORDS);
        }

        @Override
        public void write(TelemetryRecord record, Context context) throws IOException {
            batch.write(Payloads.encode(record.json, format));
            if (format == PayloadFormat.JSON) {
                batch.write('\n');
            }
            if (++batched >= maxBatchRecords) {
                send();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            send();
        }

        private void send() throws IOException {
            if (batched == 0) {
                return;
            }
            byte[] body = batch.toByteArray();
            if (compressor == Compressor.GZ) {
                body = Payloads.gzip(body);
            }
            post(body);
            records.inc(batched);
            batch.reset();
            batched = 0;
        }

        private void post(byte[] body) throws IOException {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(transferTimeout)
                            .header(
                                    "Content-Type",
                                    format == PayloadFormat.MSGPACK
                                            ? "application/msgpack"
                                            : "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (compressor == Compressor.GZ) {
                request.header("Content-Encoding", "gzip");
            }
            headers.forEach(request::header);
            HttpRequest r = request.build();
            long deadline = System.nanoTime() + retryBudget.toNanos();
            Duration backoff = firstBackoff;
            while (true) {
                String failure;
                Duration wait = backoff;
                try {
                    posts.inc();
                    HttpResponse<String> response =
                            client.send(r, HttpResponse.BodyHandlers.ofString());
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        return;
                    }
                    failure = "HTTP " + status;
                    if (status != 429 && status / 100 != 5) {
                        throw new Refused(
                                "POST "
                                        + url
                                        + " refused: HTTP "
                                        + status
                                        + " "
                                        + abbreviate(response.body()));
                    }
                    Duration retryAfter =
                            retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                    if (retryAfter != null) {
                        wait = retryAfter;
                    }
                } catch (Refused e) {
                    throw e;
                } catch (HttpTimeoutException e) {
                    failure = "timed out";
                } catch (IOException e) {
                    failure = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while posting to " + url, e);
                }
                if (System.nanoTime() + wait.toNanos() > deadline) {
                    throw new IOException(
                            "POST "
                                    + url
                                    + " kept failing for "
                                    + retryBudget.toSeconds()
                                    + " s (last: "
                                    + failure
                                    + "); stopping rather than dropping records");
                }
                retries.inc();
                sleep(wait);
                backoff =
                        backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                                ? maxBackoff
                                : backoff.multipliedBy(2);
            }
        }

        @Override
        public void close() {}
    }

    /** An answer that retrying will not change (a 4xx other than 429). */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry", e);
        }
    }

    /** {@code Retry-After} as seconds or an HTTP date, or null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long s = Long.parseLong(value.trim());
            return s < 0 ? null : Duration.ofSeconds(s);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at =
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    private static String abbreviate(String body) {
        String b = body == null ? "" : body.strip();
        return b.length() > 200 ? b.substring(0, 200) + "..." : b;
    }

    /** Builds an {@link HttpSink}. */
    public static final class Builder {
        private String url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration transferTimeout = Duration.ofSeconds(300);
        private PayloadFormat format = PayloadFormat.JSON;
        private Compressor compressor = Compressor.NONE;
        private int maxBatchRecords = 1000;
        private Duration firstBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration retryBudget = Duration.ofMinutes(5);

        private Builder() {}

        public Builder setUrl(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        public Builder setHeader(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Netify's {@code timeout_connect}. */
        public Builder setConnectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** Netify's {@code timeout_transfer}: the whole request, answer included. */
        public Builder setTransferTimeout(Duration d) {
            this.transferTimeout = d;
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

        public Builder setMaxBatchRecords(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a batch holds at least one record");
            }
            this.maxBatchRecords = n;
            return this;
        }

        /** The first pause after a failure; it doubles up to {@code max}. */
        public Builder setBackoff(Duration first, Duration max) {
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** How long one batch may keep failing before the job fails. */
        public Builder setRetryBudget(Duration d) {
            this.retryBudget = d;
            return this;
        }

        public HttpSink build() {
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new IllegalArgumentException("an http:// or https:// URL is required");
            }
            return new HttpSink(this);
        }
    }
}
