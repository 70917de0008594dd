package io.flowtap.job;

import io.flowtap.aggregate.Aggregation;
import io.flowtap.aggregate.AggregatorSpec;
import io.flowtap.aggregate.FlowUsage;
import io.flowtap.aggregate.PayloadBuilder;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowSettings;
import io.flowtap.intel.FeedUpdate;
import io.flowtap.intel.IntelEvaluator;
import io.flowtap.intel.IntelOperators;
import io.flowtap.intel.IntelRows;
import io.flowtap.schema.AggregateRow;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.IntelRow;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;
import io.flowtap.stats.Endpoints;
import io.flowtap.stats.InterfaceStatistics;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operators shared by every job: packet events in, telemetry records and Parquet rows out.
 * Backfill and streaming differ only in the source and sinks they attach.
 */
public final class FlowPipeline {
    /** What the pipeline produces. */
    public static final class Outputs {
        /** Every telemetry record (flow, flow_stats, flow_purge). */
        public final DataStream<TelemetryRecord> telemetry;

        /** One row per purged flow. */
        public final DataStream<FlowRow> flowRows;

        /** What each flow carried in each update interval. */
        public final DataStream<FlowUsage> usage;

        /** Every aggregator row, for the Parquet datasets; null without aggregators. */
        public final DataStream<AggregateRow> aggregateRows;

        /** The packet events the pipeline was given, with the counter reports among them. */
        private final DataStream<PacketEvent> events;

        Outputs(
                DataStream<TelemetryRecord> telemetry,
                DataStream<FlowRow> flowRows,
                DataStream<FlowUsage> usage,
                DataStream<AggregateRow> aggregateRows,
                DataStream<PacketEvent> events) {
            this.telemetry = telemetry;
            this.flowRows = flowRows;
            this.usage = usage;
            this.aggregateRows = aggregateRows;
            this.events = events;
        }

        /**
         * These outputs with the statistics records among the telemetry: {@code interface_stats}
         * and {@code global_stats} (from the counter reports among the events) and {@code
         * endpoints} (from the flows' usage, which the settings must then report), when {@code
         * types} names them.
         */
        public Outputs withStatistics(Set<String> types, long updateIntervalMs) {
            DataStream<TelemetryRecord> all = telemetry;
            if (types.contains("interface_stats") || types.contains("global_stats")) {
                all = all.union(InterfaceStatistics.apply(events, updateIntervalMs));
            }
            if (types.contains(Endpoints.RECORD_TYPE)) {
                all = all.union(Endpoints.apply(usage, updateIntervalMs));
            }
            return new Outputs(all, flowRows, usage, aggregateRows, events);
        }

        /** These outputs with the aggregators' payloads among the telemetry. */
        public Outputs withAggregators(List<AggregatorSpec> aggregators) {
            DataStream<TelemetryRecord> all = telemetry;
            DataStream<AggregateRow> rows = aggregateRows;
            for (AggregatorSpec spec : aggregators) {
                SingleOutputStreamOperator<TelemetryRecord> payloads =
                        Aggregation.apply(usage, spec);
                all = all.union(payloads);
                DataStream<AggregateRow> r = payloads.getSideOutput(PayloadBuilder.ROWS);
                rows = rows == null ? r : rows.union(r);
            }
            return new Outputs(all, flowRows, usage, rows, events);
        }

        /**
         * Attaches the sink of the {@code intel} dataset: a row per {@code flow_intel} record, if a
         * sink is given.
         */
        public void writeIntelRowsTo(Sink<IntelRow> sink) {
            if (sink != null) {
                telemetry
                        .filter(IntelRows::isIntel)
                        .uid(OperatorIds.INTEL_ROWS)
                        .name("Intel records")
                        .map(IntelRows::of, new AvroTypeInfo<>(IntelRow.class))
                        .uid(OperatorIds.INTEL_ROWS_MAP)
                        .name("Intel rows")
                        .sinkTo(sink)
                        .uid(OperatorIds.INTEL_PARQUET_SINK)
                        .name("Parquet sink (intel)");
            }
        }

        /** Attaches the sink of the aggregator rows, if there are any and a sink is given. */
        public void writeAggregateRowsTo(Sink<AggregateRow> sink) {
            if (aggregateRows != null && sink != null) {
                aggregateRows
                        .sinkTo(sink)
                        .uid(OperatorIds.AGGREGATES_PARQUET_SINK)
                        .name("Parquet sink (aggregates)");
            }
        }

        /**
         * Attaches the file sinks both jobs offer: telemetry sinks by channel, each with the record
         * types it takes (one writer each, which keeps a channel's records in one file, like
         * Netify's agent), and the Parquet sink of flow rows, if any.
         */
        public void writeTo(List<TelemetryChannel> channels, Sink<FlowRow> flowRowSink) {
            for (TelemetryChannel c : channels) {
                Set<String> types = c.recordTypes();
                DataStream<TelemetryRecord> records = telemetry;
                if (types != null) {
                    records =
                            telemetry
                                    .filter(r -> types.contains(r.type))
                                    .uid(OperatorIds.route(c.kind(), c.channel()))
                                    .name("Route (" + c.kind() + " " + c.channel() + ")");
                }
                records.sinkTo(c.sink())
                        .uid(OperatorIds.sink(c.kind(), c.channel()))
                        .name("Sink (" + c.kind() + " " + c.channel() + ")")
                        .setParallelism(1);
            }
            if (flowRowSink != null) {
                flowRows.sinkTo(flowRowSink)
                        .uid(OperatorIds.FLOWS_PARQUET_SINK)
                        .name("Parquet sink (flows)");
            }
        }
    }

    private static final TypeInformation<TrackerControl> CONTROL =
            TypeInformation.of(TrackerControl.class);

    private FlowPipeline() {}

    /** Record types computed only when a channel asks for them by name. */
    public static final Set<String> STATISTICS =
            Set.of("interface_stats", "global_stats", Endpoints.RECORD_TYPE);

    /** The statistics record types some channel takes. */
    public static Set<String> statisticsFor(List<TelemetryChannel> channels) {
        Set<String> wanted = new TreeSet<>();
        for (TelemetryChannel c : channels) {
            if (c.recordTypes() != null) {
                for (String t : c.recordTypes()) {
                    if (STATISTICS.contains(t)) {
                        wanted.add(t);
                    }
                }
            }
        }
        return wanted;
    }

    /**
     * The settings with usage reports on exactly when there are aggregators, endpoints or upload
     * indicators to feed.
     */
    public static FlowSettings settingsFor(
            FlowSettings settings, List<AggregatorSpec> aggregators, Set<String> statistics) {
        boolean usage =
                !aggregators.isEmpty()
                        || statistics.contains(Endpoints.RECORD_TYPE)
                        || IntelEvaluator.needsUsage(settings.indicators());
        return settings.usage() == usage ? settings : settings.toBuilder().usage(usage).build();
    }

    /**
     * Tracks the flows of a stream of packet events. End-of-capture markers in the stream are split
     * off and broadcast to every tracker instance.
     */
    public static Outputs apply(DataStream<PacketEvent> events, FlowSettings settings) {
        return apply(events, settings, null);
    }

    /**
     * Tracks the flows of a stream of packet events, with new versions of the indicators' data
     * feeds (or null for none) broadcast to every tracker instance beside the end-of-capture
     * markers.
     */
    public static Outputs apply(
            DataStream<PacketEvent> events,
            FlowSettings settings,
            DataStream<FeedUpdate> feedUpdates) {
        DataStream<PacketEvent> packets = packets(events);
        DataStream<TrackerControl> control =
                events.filter(PacketEvents::isEndOfCapture)
                        .uid(OperatorIds.END_OF_CAPTURE)
                        .name("End-of-capture markers")
                        .map(TrackerControl::endOfCapture, CONTROL)
                        .uid(OperatorIds.END_OF_CAPTURE_CONTROL)
                        .name("End-of-capture control");
        if (feedUpdates != null) {
            control =
                    control.union(
                            feedUpdates
                                    .map(TrackerControl::feed, CONTROL)
                                    .uid(OperatorIds.FEED_CONTROL)
                                    .name("Feed control"));
        }
        BroadcastStream<TrackerControl> broadcast =
                control.broadcast(FlowTracker.ENDED_AGENTS, FlowTracker.FEEDS);
        SingleOutputStreamOperator<TelemetryRecord> telemetry =
                packets.keyBy(new FlowKeySelector())
                        .connect(broadcast)
                        .process(
                                new FlowTracker(settings),
                                TypeInformation.of(TelemetryRecord.class))
                        .uid(OperatorIds.FLOW_TRACKER)
                        .name("Flow tracker");
        return outputs(telemetry, settings, events);
    }

    /**
     * Tracks the flows of a stream of packet events at parallelism 1 with the tracker chained to
     * the operator before it: no {@code keyBy}, so events are not serialized on their way (the one
     * instance owns every key group, which makes the reinterpretation as a keyed stream sound). For
     * backfills, whose events carry no end-of-capture markers and whose feeds do not change.
     */
    public static Outputs applyChained(DataStream<PacketEvent> events, FlowSettings settings) {
        return applyChained(events, settings, true);
    }

    /**
     * As {@link #applyChained(DataStream, FlowSettings)}.
     *
     * @param ownTable whether the tracker keeps its flows in a table of its own ({@link
     *     TableFlowTracker}, on the heap) instead of the keyed state of the job's state backend
     *     ({@link ChainedFlowTracker}, e.g. RocksDB for flow tables larger than the heap)
     */
    public static Outputs applyChained(
            DataStream<PacketEvent> events, FlowSettings settings, boolean ownTable) {
        if (events.getParallelism() != 1) {
            throw new IllegalArgumentException(
                    "a chained tracker needs parallelism 1, not " + events.getParallelism());
        }
        DataStream<PacketEvent> packets = packets(events);
        TypeInformation<TelemetryRecord> type = TypeInformation.of(TelemetryRecord.class);
        SingleOutputStreamOperator<TelemetryRecord> telemetry;
        if (ownTable) {
            telemetry =
                    packets.transform("Flow tracker", type, new TableFlowTracker(settings))
                            .uid(OperatorIds.FLOW_TABLE_TRACKER);
        } else {
            telemetry =
                    DataStreamUtils.reinterpretAsKeyedStream(packets, new FlowKeySelector())
                            .process(new ChainedFlowTracker(settings), type)
                            .uid(OperatorIds.FLOW_TRACKER)
                            .name("Flow tracker");
        }
        return outputs(telemetry, settings, events);
    }

    /** The events that carry packets (not markers, not counter reports). */
    private static DataStream<PacketEvent> packets(DataStream<PacketEvent> events) {
        return events.filter(PacketEvents::hasPackets).uid(OperatorIds.PACKETS).name("Packets");
    }

    private static Outputs outputs(
            SingleOutputStreamOperator<TelemetryRecord> telemetry,
            FlowSettings settings,
            DataStream<PacketEvent> events) {
        DataStream<TelemetryRecord> records = telemetry;
        if (IntelOperators.anyWindowDriver(settings.indicators())) {
            records =
                    records.union(
                            IntelOperators.apply(
                                    telemetry.getSideOutput(FlowTracker.INTEL_OBSERVATIONS),
                                    settings.indicators(),
                                    settings.updateIntervalMs()));
        }
        return new Outputs(
                records,
                telemetry.getSideOutput(FlowTracker.FLOW_ROWS),
                telemetry.getSideOutput(FlowTracker.FLOW_USAGE),
                null,
                events);
    }
}
