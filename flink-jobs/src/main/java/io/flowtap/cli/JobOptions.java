package io.flowtap.cli;

import io.flowtap.capture.flow.NetworkSet;
import io.flowtap.connectors.log.NetifyLogSink;
import io.flowtap.connectors.parquet.HivePartitionAssigner;
import io.flowtap.connectors.parquet.ParquetAvroWriters;
import io.flowtap.dpi.apps.ApplicationCatalog;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.InterfaceRole;
import io.flowtap.flow.InterfaceSettings;
import io.flowtap.schema.FlowRow;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/** Options and outputs the backfill and stream commands share, so both lay out output alike. */
final class JobOptions {
    private JobOptions() {}

    static FlowSettings flowSettings(Args args) throws UsageException {
        InterfaceRole role = InterfaceRole.parse(args.one("--interface-role", "lan"));
        List<String> nets = args.all("--local-network");
        InterfaceSettings itf =
                nets.isEmpty()
                        ? InterfaceSettings.defaults(role)
                        : new InterfaceSettings(role, NetworkSet.of(nets));
        FlowSettings.Builder b = FlowSettings.builder().defaultInterface(itf);
        String catalog = args.one("--applications", null);
        if (catalog != null) {
            b.applications(applications(catalog));
        }
        return b.build();
    }

    private static ApplicationCatalog applications(String file) throws UsageException {
        try (Reader r = Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8)) {
            return ApplicationCatalog.load(r, file);
        } catch (IOException e) {
            throw new UsageException(file + ": cannot read the application catalog: " + e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static NetifyLogSink logSink(java.nio.file.Path outDir) {
        return NetifyLogSink.builder()
                .setLogPath(outDir.resolve("log").toString())
                .setLogName("flowtap-flows")
                .setOverwrite(true)
                .build();
    }

    static FileSink<FlowRow> parquetSink(java.nio.file.Path outDir) {
        return FileSink.forBulkFormat(
                        new Path(outDir.resolve("parquet").resolve("flows").toUri()),
                        ParquetAvroWriters.forSpecificRecord(FlowRow.class))
                .withBucketAssigner(
                        new HivePartitionAssigner<FlowRow>(r -> r.getPurgedAt().toEpochMilli()))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("flows")
                                .withPartSuffix(".parquet")
                                .build())
                .build();
    }
}
