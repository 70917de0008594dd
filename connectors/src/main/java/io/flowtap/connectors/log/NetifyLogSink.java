package io.flowtap.connectors.log;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.format.Payloads;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Netify's log sink for one channel: telemetry records appended to a file, as one JSON object per
 * line or (format {@code msgpack}) MessagePack objects one after the other, the file
 * gzip-compressed when the compressor is {@code gz}.
 *
 * <p>The file is {@code <log_path>/<log_name><yyyyMMdd-HHmmss>.<json|msgpack>[.gz]}, stamped with
 * the job's start time in UTC, so every run writes a new file; with {@code overwrite} it is {@code
 * <log_path>/<log_name>.<ext>} (trailing '-', '_' or '.' of the name dropped), replaced by each
 * run. A gzip file is flushed to a readable point at every checkpoint; after a restore it goes on
 * with a new gzip member, which gzip readers take as one stream. When the sink runs with
 * parallelism above one, each subtask writes its own file, suffixed with {@code -<subtask>}.
 *
 * <p>Delivery: at-least-once. Buffers are flushed at every checkpoint and at the end of input; a
 * restore from a checkpoint appends to the file, so records written after that checkpoint may
 * appear twice.
 */
public final class NetifyLogSink implements Sink<TelemetryRecord> {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final String logPath;
    private final String logName;
    private final boolean overwrite;
    private final String stamp;
    private final PayloadFormat format;
    private final Compressor compressor;
    private final boolean directIo;

    private NetifyLogSink(Builder b, String stamp) {
        this.logPath = b.logPath;
        this.logName = b.logName;
        this.overwrite = b.overwrite;
        this.format = b.format;
        this.compressor = b.compressor;
        this.directIo = b.directIo;
        this.stamp = stamp;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The file a subtask writes to. */
    Path file(int subtask, int parallelism) {
        String base;
        if (overwrite) {
            base = logName.replaceAll("[-_.]+$", "");
            if (base.isEmpty()) {
                base = logName;
            }
        } else {
            base = logName + stamp;
        }
        if (parallelism > 1) {
            base = base + "-" + subtask;
        }
        String extension = "." + format.extension() + (compressor == Compressor.GZ ? ".gz" : "");
        return Paths.get(logPath, base + extension);
    }

    @Override
    public SinkWriter<TelemetryRecord> createWriter(WriterInitContext context) throws IOException {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        Path file = file(subtask, parallelism);
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean truncate = overwrite && context.getRestoredCheckpointId().isEmpty();
        if (truncate) {
            Files.newOutputStream(file).close();
        }
        OutputStream out = FileAppender.open(file, 1 << 18, directIo);
        if (compressor == Compressor.GZ) {
            // syncFlush: a checkpoint's flush leaves a file that decompresses up to that point.
            out = new BufferedOutputStream(new GZIPOutputStream(out, 1 << 16, true), 1 << 16);
        }
        return new Writer(out, format);
    }

    private static final class Writer implements SinkWriter<TelemetryRecord> {
        private final OutputStream out;
        private final PayloadFormat format;

        Writer(OutputStream out, PayloadFormat format) {
            this.out = out;
            this.format = format;
        }

        @Override
        public void write(TelemetryRecord record, Context context) throws IOException {
            out.write(Payloads.encode(record.json, format));
            if (format == PayloadFormat.JSON) {
                out.write('\n');
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Builds a {@link NetifyLogSink}. */
    public static final class Builder {
        private String logPath = "/tmp";
        private String logName;
        private boolean overwrite;
        private PayloadFormat format = PayloadFormat.JSON;
        private Compressor compressor = Compressor.NONE;
        private boolean directIo = true;

        private Builder() {}

        public Builder setFormat(PayloadFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder setCompressor(Compressor compressor) {
            this.compressor = Objects.requireNonNull(compressor, "compressor");
            return this;
        }

        public Builder setLogPath(String logPath) {
            this.logPath = Objects.requireNonNull(logPath, "logPath");
            return this;
        }

        /** Prefix of the file name (Netify's {@code log_name}). */
        public Builder setLogName(String logName) {
            this.logName = Objects.requireNonNull(logName, "logName");
            return this;
        }

        public Builder setOverwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /**
         * Whether whole blocks of the file are written with direct I/O, past the page cache
         * (default true; the file system may refuse it, and then the page cache is used).
         */
        public Builder setDirectIo(boolean directIo) {
            this.directIo = directIo;
            return this;
        }

        public NetifyLogSink build() {
            if (logName == null || logName.isEmpty()) {
                throw new IllegalArgumentException("log_name must not be empty");
            }
            return new NetifyLogSink(this, STAMP.format(Instant.now()));
        }
    }
}
