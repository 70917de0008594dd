package io.flowtap.testing;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Jobs that feed known telemetry records straight into a sink, for the tests that take the sink's
 * server down while the job runs.
 */
public final class RecordJobs {
    private RecordJobs() {}

    /**
     * Starts, without waiting for it, a job on a local cluster (parallelism 1, a checkpoint every
     * 500 ms) that passes {@code jsonLines} as records (keys {@code k0}, {@code k1}, ...) through
     * {@code through} into {@code sink}.
     */
    public static JobClient start(
            String name,
            List<String> jsonLines,
            MapFunction<TelemetryRecord, TelemetryRecord> through,
            Sink<TelemetryRecord> sink)
            throws Exception {
        List<TelemetryRecord> records = new ArrayList<>();
        for (String l : jsonLines) {
            records.add(
                    new TelemetryRecord(
                            "flow", "k" + records.size(), 0, l.getBytes(StandardCharsets.UTF_8)));
        }
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        env.fromData(
                        TypeInformation.of(TelemetryRecord.class),
                        records.toArray(new TelemetryRecord[0]))
                .map(through)
                .returns(TelemetryRecord.class)
                .sinkTo(sink);
        return env.executeAsync(name);
    }
}
