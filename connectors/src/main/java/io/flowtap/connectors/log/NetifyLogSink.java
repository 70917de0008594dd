package io.flowtap.connectors.log;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Netify's log sink for one channel: telemetry records appended to a file as one JSON object per
 * line.
 *
 * <p>The file is {@code <log_path>/<log_name><yyyyMMdd-HHmmss>.json}, stamped with the job's start
 * time in UTC, so every run writes a new file; with {@code overwrite} it is {@code
 * <log_path>/<log_name>.json} (trailing '-', '_' or '.' of the name dropped), replaced by each run.
 * When the sink runs with parallelism above one, each subtask writes its own file, suffixed with
 * {@code -<subtask>}.
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

    private NetifyLogSink(String logPath, String logName, boolean overwrite, String stamp) {
        this.logPath = logPath;
        this.logName = logName;
        this.overwrite = overwrite;
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
        return Paths.get(logPath, base + ".json");
    }

    @Override
    public SinkWriter<TelemetryRecord> createWriter(WriterInitContext context) throws IOException {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        Path file = file(subtask, parallelism);
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean truncate = overwrite && context.getRestoredCheckpointId().isEmpty();
        OutputStream out =
                truncate
                        ? Files.newOutputStream(file)
                        : Files.newOutputStream(
                                file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new Writer(new BufferedOutputStream(out, 1 << 16));
    }

    private static final class Writer implements SinkWriter<TelemetryRecord> {
        private final OutputStream out;

        Writer(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(TelemetryRecord record, Context context) throws IOException {
            out.write(record.json);
            out.write('\n');
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

        private Builder() {}

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

        public NetifyLogSink build() {
            if (logName == null || logName.isEmpty()) {
                throw new IllegalArgumentException("log_name must not be empty");
            }
            return new NetifyLogSink(logPath, logName, overwrite, STAMP.format(Instant.now()));
        }
    }
}
