package io.flowtap.job;

import io.flowtap.aggregate.AggregatorSpec;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowSettings;
import io.flowtap.schema.AggregateRow;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.IntelRow;
import io.flowtap.schema.PacketEvent;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Packet events from a bounded source through the flow pipeline into telemetry and Parquet sinks.
 * The sources and sinks are arguments: the command line plugs in pcap files, log files and Parquet;
 * tests plug in their own.
 */
public final class BackfillJob {
    public static final String JOB_NAME = "flowtap-backfill";

    private final Source<PacketEvent, ?, ?> source;
    private final FlowSettings settings;
    private final Duration maxOutOfOrderness;
    private final List<TelemetryChannel> telemetrySinks;
    private final Sink<FlowRow> flowRowSink;
    private final List<AggregatorSpec> aggregators;
    private final Sink<AggregateRow> aggregateRowSink;
    private final Sink<IntelRow> intelRowSink;
    private final Boolean chainTracker;
    private final boolean flowTable;

    private BackfillJob(Builder b) {
        this.source = Objects.requireNonNull(b.source, "source");
        this.settings = b.settings;
        this.maxOutOfOrderness = b.maxOutOfOrderness;
        this.telemetrySinks = new ArrayList<>(b.telemetrySinks);
        this.flowRowSink = b.flowRowSink;
        this.aggregators = List.copyOf(b.aggregators);
        this.aggregateRowSink = b.aggregateRowSink;
        this.intelRowSink = b.intelRowSink;
        this.chainTracker = b.chainTracker;
        this.flowTable = b.flowTable;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds the job's operators to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<PacketEvent> packets =
                env.fromSource(
                                source,
                                WatermarkStrategy.<PacketEvent>forBoundedOutOfOrderness(
                                        maxOutOfOrderness),
                                "Capture files")
                        .uid(OperatorIds.PCAP_SOURCE);
        Set<String> statistics = FlowPipeline.statisticsFor(telemetrySinks);
        FlowSettings tracked = FlowPipeline.settingsFor(settings, aggregators, statistics);
        boolean chained = chainTracker == null ? env.getParallelism() == 1 : chainTracker;
        FlowPipeline.Outputs outputs =
                (chained
                                ? FlowPipeline.applyChained(packets, tracked, flowTable)
                                : FlowPipeline.apply(packets, tracked))
                        .withAggregators(aggregators)
                        .withStatistics(statistics, settings.updateIntervalMs());
        outputs.writeTo(telemetrySinks, flowRowSink);
        outputs.writeAggregateRowsTo(aggregateRowSink);
        outputs.writeIntelRowsTo(intelRowSink);
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute(JOB_NAME);
    }

    /** Builds a {@link BackfillJob}. */
    public static final class Builder {
        private Source<PacketEvent, ?, ?> source;
        private FlowSettings settings = FlowSettings.defaults();
        private Duration maxOutOfOrderness = Duration.ofSeconds(1);
        private final List<TelemetryChannel> telemetrySinks = new ArrayList<>();
        private Sink<FlowRow> flowRowSink;
        private final List<AggregatorSpec> aggregators = new ArrayList<>();
        private Sink<AggregateRow> aggregateRowSink;
        private Sink<IntelRow> intelRowSink;
        private Boolean chainTracker;
        private boolean flowTable = true;

        /**
         * Whether a chained tracker keeps its flows in a table of its own on the heap ({@link
         * TableFlowTracker}, the default) or in the keyed state of the job's state backend, as a
         * RocksDB backend for flow tables larger than the heap needs.
         */
        public Builder flowTable(boolean own) {
            this.flowTable = own;
            return this;
        }

        /**
         * Whether the flow tracker runs chained to the source, without a {@code keyBy} (only at
         * parallelism 1). By default it does exactly when the job's parallelism is 1.
         */
        public Builder chainTracker(boolean chain) {
            this.chainTracker = chain;
            return this;
        }

        /** Where the indicators' records go as Parquet; none unless set (or when null). */
        public Builder intelRowSink(Sink<IntelRow> sink) {
            this.intelRowSink = sink;
            return this;
        }

        /** Where the aggregators' rows go as Parquet; none unless set. */
        public Builder aggregateRowSink(Sink<AggregateRow> sink) {
            this.aggregateRowSink = sink;
            return this;
        }

        /**
         * Aggregator instances whose payloads join the telemetry (type {@code aggregate:<name>}).
         */
        public Builder aggregators(List<AggregatorSpec> specs) {
            aggregators.addAll(specs);
            return this;
        }

        public Builder source(Source<PacketEvent, ?, ?> source) {
            this.source = source;
            return this;
        }

        public Builder settings(FlowSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        public Builder maxOutOfOrderness(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("max out-of-orderness must not be negative");
            }
            this.maxOutOfOrderness = d;
            return this;
        }

        /** A sink that receives every telemetry record, named by its channel. */
        public Builder telemetrySink(String channel, Sink<TelemetryRecord> sink) {
            telemetrySinks.add(TelemetryChannel.log(channel, sink));
            return this;
        }

        /** A telemetry channel: its sink and the record types it takes. */
        public Builder telemetryChannel(TelemetryChannel channel) {
            telemetrySinks.add(Objects.requireNonNull(channel));
            return this;
        }

        public Builder flowRowSink(Sink<FlowRow> sink) {
            this.flowRowSink = sink;
            return this;
        }

        public BackfillJob build() {
            return new BackfillJob(this);
        }
    }
}
