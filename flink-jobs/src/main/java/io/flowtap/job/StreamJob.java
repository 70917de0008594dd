package io.flowtap.job;

import io.flowtap.aggregate.AggregatorSpec;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.connectors.kafka.PacketEventDeserializer;
import io.flowtap.connectors.kafka.TelemetrySerializer;
import io.flowtap.connectors.kafka.TelemetryTopics;
import io.flowtap.flow.FlowSettings;
import io.flowtap.intel.FeedUpdate;
import io.flowtap.intel.watch.FeedWatchSource;
import io.flowtap.schema.AggregateRow;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.IntelRow;
import io.flowtap.schema.PacketEvent;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Packet events of any number of agents from Kafka through the flow pipeline into telemetry topics.
 * Event time comes from packet timestamps with a watermark per partition; the telemetry sink is
 * transactional (exactly once) by default, so records become visible to {@code read_committed}
 * consumers when the checkpoint that covers them completes.
 */
public final class StreamJob {
    public static final String JOB_NAME = "flowtap-stream";
    public static final String DEFAULT_GROUP_ID = "flowtap-stream";
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "flowtap-stream";

    /**
     * Brokers abort transactions older than this; it must not exceed the broker's {@code
     * transaction.max.timeout.ms} (15 min by default) and must outlast a restart of the job, or the
     * telemetry of the checkpoint in flight is lost.
     */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private final Builder b;

    private StreamJob(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The source of packet events; offsets are kept in checkpoints (and committed to the group).
     */
    KafkaSource<PacketEvent> source() {
        var s =
                KafkaSource.<PacketEvent>builder()
                        .setBootstrapServers(b.bootstrapServers)
                        .setTopics(b.packetTopics)
                        .setGroupId(b.groupId)
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new PacketEventDeserializer())
                        .setClientIdPrefix(b.groupId);
        b.consumerProperties.forEach(s::setProperty);
        return s.build();
    }

    KafkaSink<TelemetryRecord> telemetrySink() {
        var s =
                KafkaSink.<TelemetryRecord>builder()
                        .setBootstrapServers(b.bootstrapServers)
                        .setRecordSerializer(new TelemetrySerializer(b.topics))
                        .setDeliveryGuarantee(b.deliveryGuarantee)
                        .setProperty(
                                "transaction.timeout.ms",
                                Long.toString(b.transactionTimeout.toMillis()))
                        .setProperty("compression.type", "lz4");
        if (b.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            s.setTransactionalIdPrefix(b.transactionalIdPrefix);
        }
        b.producerProperties.forEach(s::setProperty);
        return s.build();
    }

    WatermarkStrategy<PacketEvent> watermarks() {
        long holdback = b.settings.updateIntervalMs() + b.maxOutOfOrderness.toMillis() + 1;
        Duration outOfOrderness = b.maxOutOfOrderness;
        Duration idleness = b.idleness;
        WatermarkStrategy<PacketEvent> w =
                WatermarkStrategy.<PacketEvent>forGenerator(
                                ctx -> new AgentWatermarks(outOfOrderness, idleness))
                        .withTimestampAssigner(new PacketTimestamps(holdback));
        return b.idleness.isZero() ? w : w.withIdleness(b.idleness);
    }

    /** Adds the job's operators to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<PacketEvent> events =
                env.fromSource(source(), watermarks(), "Kafka packet events")
                        .uid(OperatorIds.KAFKA_SOURCE);
        DataStream<FeedUpdate> feedUpdates = null;
        if (b.feedWatch != null) {
            feedUpdates =
                    env.fromSource(b.feedWatch, FeedWatchSource.watermarks(), "Feed watch")
                            .uid(OperatorIds.FEED_WATCH_SOURCE)
                            .setParallelism(1);
        }
        Set<String> statistics = FlowPipeline.statisticsFor(b.telemetrySinks);
        FlowPipeline.Outputs outputs =
                FlowPipeline.apply(
                        events,
                        FlowPipeline.settingsFor(b.settings, b.aggregators, statistics),
                        feedUpdates);
        // The telemetry topics carry the flow records; aggregates and statistics go to configured
        // channels.
        outputs.telemetry
                .sinkTo(telemetrySink())
                .uid(OperatorIds.KAFKA_TELEMETRY_SINK)
                .name("Kafka sink (telemetry)");
        FlowPipeline.Outputs all =
                outputs.withAggregators(b.aggregators)
                        .withStatistics(statistics, b.settings.updateIntervalMs());
        all.writeTo(b.telemetrySinks, b.flowRowSink);
        all.writeAggregateRowsTo(b.aggregateRowSink);
        all.writeIntelRowsTo(b.intelRowSink);
    }

    /** Builds the job into {@code env} and submits it without waiting for it to end. */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(JOB_NAME);
    }

    /**
     * The topics this job writes: one per channel of the flow pipeline, and one for the
     * intelligence records when indicators are configured.
     */
    public List<String> telemetryTopics() {
        List<String> out = new ArrayList<>();
        for (String c : TelemetryTopics.FLOW_CHANNELS) {
            out.add(b.topics.topicOfChannel(c));
        }
        if (!b.settings.indicators().isEmpty()) {
            out.add(b.topics.topicOfChannel(TelemetryTopics.INTEL_CHANNEL));
        }
        return out;
    }

    /** Builds a {@link StreamJob}. */
    public static final class Builder {
        private String bootstrapServers;
        private List<String> packetTopics = List.of("flowtap.packets");
        private String groupId = DEFAULT_GROUP_ID;
        private final Map<String, String> consumerProperties = new LinkedHashMap<>();
        private final Map<String, String> producerProperties = new LinkedHashMap<>();
        private TelemetryTopics topics = TelemetryTopics.withDefaults();
        private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        private String transactionalIdPrefix = DEFAULT_TRANSACTIONAL_ID_PREFIX;
        private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        private Duration maxOutOfOrderness = Duration.ofSeconds(2);
        private Duration idleness = Duration.ofSeconds(30);
        private FlowSettings settings = FlowSettings.defaults();
        private final List<TelemetryChannel> telemetrySinks = new ArrayList<>();
        private Sink<FlowRow> flowRowSink;
        private final List<AggregatorSpec> aggregators = new ArrayList<>();
        private Sink<AggregateRow> aggregateRowSink;
        private Sink<IntelRow> intelRowSink;

        /** Where the indicators' records go as Parquet; none unless set (or when null). */
        public Builder intelRowSink(Sink<IntelRow> sink) {
            this.intelRowSink = sink;
            return this;
        }

        private FeedWatchSource feedWatch;

        /**
         * Where new versions of the indicators' data feeds come from while the job runs; none (the
         * feeds the job started with stay in force) unless set, or when null.
         */
        public Builder feedWatch(FeedWatchSource source) {
            this.feedWatch = source;
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

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder packetTopics(List<String> topics) {
            this.packetTopics = List.copyOf(topics);
            return this;
        }

        /** The consumer group; offsets are committed to it on each completed checkpoint. */
        public Builder groupId(String id) {
            this.groupId = id;
            return this;
        }

        public Builder consumerProperty(String key, String value) {
            consumerProperties.put(key, value);
            return this;
        }

        public Builder producerProperty(String key, String value) {
            producerProperties.put(key, value);
            return this;
        }

        public Builder telemetryTopics(TelemetryTopics topics) {
            this.topics = Objects.requireNonNull(topics);
            return this;
        }

        public Builder deliveryGuarantee(DeliveryGuarantee guarantee) {
            this.deliveryGuarantee = Objects.requireNonNull(guarantee);
            return this;
        }

        /** Must differ between jobs that write to the same cluster. */
        public Builder transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = prefix;
            return this;
        }

        public Builder transactionTimeout(Duration timeout) {
            this.transactionTimeout = timeout;
            return this;
        }

        /** How far behind the newest packet of a partition a packet may arrive and still count. */
        public Builder maxOutOfOrderness(Duration d) {
            this.maxOutOfOrderness = d;
            return this;
        }

        /** How long a partition may go without events before it stops holding the watermark. */
        public Builder idleness(Duration d) {
            this.idleness = d;
            return this;
        }

        public Builder settings(FlowSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /** A further sink that receives every telemetry record, e.g. the log sink. */
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

        /**
         * @throws IllegalArgumentException naming the first setting that is missing or wrong
         */
        public StreamJob build() {
            require(
                    bootstrapServers != null && !bootstrapServers.isBlank(),
                    "Kafka bootstrap servers are required");
            require(!packetTopics.isEmpty(), "at least one packet topic is required");
            require(groupId != null && !groupId.isBlank(), "a consumer group id is required");
            require(
                    transactionalIdPrefix != null && !transactionalIdPrefix.isBlank(),
                    "a transactional id prefix is required");
            require(!maxOutOfOrderness.isNegative(), "the out-of-orderness must not be negative");
            require(!idleness.isNegative(), "the idleness timeout must not be negative");
            require(
                    transactionTimeout.toMillis() >= 1000,
                    "the transaction timeout must be at least 1 s");
            return new StreamJob(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
