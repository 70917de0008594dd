package io.flowtap.cli;

import io.flowtap.aggregate.AggregatorSpec;
import io.flowtap.capture.flow.NetworkSet;
import io.flowtap.config.ConfigError;
import io.flowtap.config.ConfigException;
import io.flowtap.config.ConfigLoader;
import io.flowtap.config.FlowtapConfig;
import io.flowtap.config.HttpChannel;
import io.flowtap.config.KafkaConfig;
import io.flowtap.config.LogChannel;
import io.flowtap.config.MqttConfig;
import io.flowtap.config.ParquetConfig;
import io.flowtap.config.Route;
import io.flowtap.config.SocketChannelConfig;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.format.Compressor;
import io.flowtap.connectors.format.PayloadFormat;
import io.flowtap.connectors.http.HttpSink;
import io.flowtap.connectors.kafka.KafkaChannelSink;
import io.flowtap.connectors.log.NetifyLogSink;
import io.flowtap.connectors.mqtt.MqttSink;
import io.flowtap.connectors.parquet.HivePartitionAssigner;
import io.flowtap.connectors.parquet.ParquetAvroWriters;
import io.flowtap.connectors.socket.SocketSink;
import io.flowtap.dpi.apps.ApplicationCatalog;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.InterfaceRole;
import io.flowtap.flow.InterfaceSettings;
import io.flowtap.intel.Feed;
import io.flowtap.intel.Indicator;
import io.flowtap.intel.watch.FeedWatchSource;
import io.flowtap.job.TelemetryChannel;
import io.flowtap.schema.AggregateRow;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.IntelRow;
import io.flowtap.telemetry.FlowRows;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
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

    /** The {@code flows} dataset under {@code <outDir>/parquet}. */
    static FileSink<FlowRow> parquetSink(java.nio.file.Path outDir) {
        return flowsDataset(new Path(outDir.resolve("parquet").resolve("flows").toUri()));
    }

    /** The {@code flows} dataset under a directory or file system URI. */
    static FileSink<FlowRow> parquetSink(String datasets) {
        return flowsDataset(new Path(datasetsDir(datasets), "flows"));
    }

    private static Path datasetsDir(String datasets) {
        return datasets.contains("://")
                ? new Path(datasets.replaceAll("/+$", ""))
                : new Path(Paths.get(datasets).toAbsolutePath().toUri());
    }

    /** The {@code intel} dataset: {@code intel/dt=.../hour=...} by detection time. */
    private static FileSink<IntelRow> intelDataset(Path dataset) {
        return FileSink.forBulkFormat(dataset, ParquetAvroWriters.forSpecificRecord(IntelRow.class))
                .withBucketAssigner(
                        new HivePartitionAssigner<IntelRow>(r -> r.getDetectedAt().toEpochMilli()))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("intel")
                                .withPartSuffix(".parquet")
                                .build())
                .build();
    }

    /** One dataset per aggregator type, {@code aggregate_type<N>/dt=.../hour=...}. */
    private static FileSink<AggregateRow> aggregateDatasets(Path datasets) {
        return FileSink.forBulkFormat(
                        datasets, ParquetAvroWriters.forSpecificRecord(AggregateRow.class))
                .withBucketAssigner(
                        new HivePartitionAssigner<AggregateRow>(
                                r -> r.getIntervalStart().toEpochMilli(),
                                r -> "aggregate_type" + r.getAggregatorType()))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("aggregates")
                                .withPartSuffix(".parquet")
                                .build())
                .build();
    }

    private static FileSink<FlowRow> flowsDataset(Path dir) {
        return FileSink.forBulkFormat(
                        dir,
                        ParquetAvroWriters.forSpecificRecord(
                                FlowRow.class, FlowRows.UNIQUE_COLUMNS))
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

    /**
     * Flow settings, telemetry channels and Parquet datasets of a run.
     *
     * @param parquet the configured datasets, or null for the default under {@code <out>}
     */
    record Run(
            FlowSettings settings,
            List<TelemetryChannel> channels,
            ParquetConfig parquet,
            List<AggregatorSpec> aggregators,
            java.nio.file.Path configDir,
            java.time.Duration feedPoll) {
        /**
         * The watcher of the indicators' data feeds for a stream job, or null when no indicator has
         * feeds or polling is off.
         */
        FeedWatchSource feedWatch() {
            java.util.Map<String, Feed> feeds = new java.util.TreeMap<>();
            for (Indicator i : settings.indicators()) {
                i.feeds().forEach(f -> feeds.put(f.name(), f));
            }
            if (configDir == null || feedPoll.isZero() || feeds.isEmpty()) {
                return null;
            }
            return FeedWatchSource.of(
                    configDir.resolve(ConfigLoader.FEEDS_DIR), feeds.values(), feedPoll);
        }

        /** The sink of the {@code aggregate_type<N>} datasets, or null when there are none. */
        FileSink<AggregateRow> aggregateRowSink(java.nio.file.Path outDir) {
            if (aggregators.isEmpty() || (parquet != null && !parquet.aggregates())) {
                return null;
            }
            if (parquet != null) {
                return aggregateDatasets(datasetsDir(parquet.path()));
            }
            return outDir == null
                    ? null
                    : aggregateDatasets(new Path(outDir.resolve("parquet").toUri()));
        }

        /** The sink of the {@code intel} dataset, or null when the run has no indicators. */
        FileSink<IntelRow> intelRowSink(java.nio.file.Path outDir) {
            if (settings.indicators().isEmpty() || (parquet != null && !parquet.intel())) {
                return null;
            }
            if (parquet != null) {
                return intelDataset(new Path(datasetsDir(parquet.path()), "intel"));
            }
            return outDir == null
                    ? null
                    : intelDataset(new Path(outDir.resolve("parquet").resolve("intel").toUri()));
        }

        /** The sink of the {@code flows} dataset, or null when the run writes none. */
        FileSink<FlowRow> flowRowSink(java.nio.file.Path outDir) {
            if (parquet != null) {
                return parquet.flows() ? parquetSink(parquet.path()) : null;
            }
            return outDir == null ? null : parquetSink(outDir);
        }
    }

    /**
     * The run's settings and log channels: from the configuration directory of {@code --config}, or
     * else from the options, with every record in {@code <out>/log/flowtap-flows.json}.
     *
     * @throws UsageException when the configuration has mistakes (each printed first) or options
     *     contradict it
     */
    static Run run(Args args, java.nio.file.Path outDir, PrintStream err, String command)
            throws UsageException {
        String dir = args.one("--config", null);
        if (dir == null) {
            List<TelemetryChannel> channels = new ArrayList<>();
            if (outDir != null) {
                channels.add(TelemetryChannel.log("flows", logSink(outDir)));
            }
            return new Run(flowSettings(args), channels, null, List.of(), null, null);
        }
        if (args.one("--interface-role", null) != null || !args.all("--local-network").isEmpty()) {
            throw new UsageException(
                    "--interface-role and --local-network do not combine with --config;"
                            + " set interfaces in flowtap.json");
        }
        FlowtapConfig config = loadConfig(Paths.get(dir), err, command);
        FlowSettings settings = config.flowSettings();
        String catalog = args.one("--applications", null);
        if (catalog != null) {
            settings = settings.toBuilder().applications(applications(catalog)).build();
        }
        List<TelemetryChannel> channels = new ArrayList<>();
        for (Route r : config.routes()) {
            PayloadFormat format = PayloadFormat.parse(r.format());
            Compressor compressor = Compressor.parse(r.compressor());
            if (r.sink().equals("sink-http")) {
                HttpChannel c = config.httpChannels().get(r.channel());
                HttpSink.Builder b =
                        HttpSink.builder()
                                .setUrl(c.url())
                                .setConnectTimeout(c.connectTimeout())
                                .setTransferTimeout(c.transferTimeout())
                                .setFormat(format)
                                .setCompressor(compressor);
                c.headers().forEach(b::setHeader);
                channels.add(new TelemetryChannel("http", r.channel(), r.recordTypes(), b.build()));
                continue;
            }
            if (r.sink().equals("sink-mqtt")) {
                MqttConfig m = config.mqtt();
                MqttSink.Builder b =
                        MqttSink.builder()
                                .setHost(m.host())
                                .setPort(m.port())
                                .setCredentials(m.user(), m.pass())
                                .setTopic(r.topic())
                                .setQos(m.qos())
                                .setRetain(m.retain())
                                .setFormat(format)
                                .setCompressor(compressor);
                if (m.tls() != null) {
                    b.setTls(m.tls().caFile(), m.tls().verifyHostname());
                }
                channels.add(new TelemetryChannel("mqtt", r.channel(), r.recordTypes(), b.build()));
                continue;
            }
            if (r.sink().equals("sink-kafka")) {
                channels.add(
                        new TelemetryChannel(
                                "kafka",
                                r.channel(),
                                r.recordTypes(),
                                kafkaSink(config.kafka(), r.channel(), format, compressor)));
                continue;
            }
            if (r.sink().equals("sink-socket")) {
                SocketChannelConfig c = config.socketChannels().get(r.channel());
                channels.add(
                        new TelemetryChannel(
                                "socket",
                                r.channel(),
                                r.recordTypes(),
                                SocketSink.builder()
                                        .setAddress(c.bindAddress())
                                        .setFormat(format)
                                        .setCompressor(compressor)
                                        .build()));
                continue;
            }
            LogChannel c = config.logChannels().get(r.channel());
            channels.add(
                    new TelemetryChannel(
                            "log",
                            r.channel(),
                            r.recordTypes(),
                            NetifyLogSink.builder()
                                    .setLogPath(c.logPath())
                                    .setLogName(c.logName())
                                    .setOverwrite(c.overwrite())
                                    .setFormat(format)
                                    .setCompressor(compressor)
                                    .build()));
        }
        requireKafkaTopics(config);
        return new Run(
                settings,
                channels,
                config.parquet(),
                config.aggregators(),
                config.directory(),
                config.feedPollInterval());
    }

    /** The topics of the routed Kafka channels must exist before the job starts. */
    private static void requireKafkaTopics(FlowtapConfig config) throws UsageException {
        List<String> topics = new ArrayList<>();
        for (Route r : config.routes()) {
            if (r.sink().equals("sink-kafka")) {
                topics.add(config.kafka().topics().get(r.channel()));
            }
        }
        if (topics.isEmpty()) {
            return;
        }
        try (TopicAdmin admin =
                new TopicAdmin(config.kafka().bootstrapServers(), config.kafka().properties())) {
            admin.requireTopics(topics, ConfigLoader.KAFKA);
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static KafkaSink<TelemetryRecord> kafkaSink(
            KafkaConfig k, String channel, PayloadFormat format, Compressor compressor) {
        KafkaChannelSink.Builder b =
                KafkaChannelSink.builder()
                        .setBootstrapServers(k.bootstrapServers())
                        .setTopic(k.topics().get(channel))
                        .setFormat(format)
                        .setCompressor(compressor)
                        .setDeliveryGuarantee(
                                k.exactlyOnce()
                                        ? DeliveryGuarantee.EXACTLY_ONCE
                                        : DeliveryGuarantee.AT_LEAST_ONCE)
                        .setTransactionalIdPrefix(k.transactionalIdPrefix() + "-" + channel)
                        .setTransactionTimeout(k.transactionTimeout());
        k.properties().forEach(b::setProperty);
        return b.build();
    }

    /** Loads and checks a configuration directory, printing its warnings and errors. */
    static FlowtapConfig loadConfig(java.nio.file.Path dir, PrintStream err, String command)
            throws UsageException {
        try {
            FlowtapConfig config = ConfigLoader.load(dir);
            for (String w : config.warnings()) {
                err.println("flowtap " + command + ": warning: " + w);
            }
            return config;
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println("flowtap " + command + ": " + error);
            }
            throw new UsageException(
                    dir + ": " + e.errors().size() + " configuration error(s); nothing was run");
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
