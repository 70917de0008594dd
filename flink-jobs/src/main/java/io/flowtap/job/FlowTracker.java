package io.flowtap.job;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowLifecycle;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.intel.FeedException;
import io.flowtap.intel.FeedSet;
import io.flowtap.intel.FeedUpdate;
import io.flowtap.intel.IntelEvaluator;
import io.flowtap.intel.IntelEvent;
import io.flowtap.intel.IntelObservation;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.PacketEvent;
import io.flowtap.telemetry.FlowJson;
import io.flowtap.telemetry.FlowRows;
import io.flowtap.telemetry.FlowUsages;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Keeps one flow per key (agent and flow digest) and drives its life with event-time timers: emits
 * {@code flow} when the flow is first seen, {@code flow_stats} at update ticks and {@code
 * flow_purge} when it ends, plus a Parquet row per purged flow on {@link #FLOW_ROWS}. The logic
 * lives in {@link FlowLifecycle}; this class binds it to Flink state, timers and outputs.
 *
 * <p>The broadcast input carries agents' end-of-capture markers and new versions of data feeds. A
 * feed version replaces the one the indicators matched against until then, in every instance; the
 * newest text of each feed is kept in broadcast state, so a restored job matches against it too. An
 * agent's flows end as they would at the end of input, without waiting for their idle timeouts: at
 * once for the flows this instance holds when the watermark has already passed the agent's last
 * packet, otherwise at the flow's next tick once it has.
 */
public final class FlowTracker
        extends KeyedBroadcastProcessFunction<
                String, PacketEvent, TrackerControl, TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    /** Side output: one row per purged flow. */
    public static final OutputTag<FlowRow> FLOW_ROWS =
            new OutputTag<>("flow-rows", new AvroTypeInfo<>(FlowRow.class));

    /**
     * Side output: what each flow carried in each update interval, when the settings ask for it
     * (aggregators).
     */
    public static final OutputTag<FlowUsage> FLOW_USAGE =
            new OutputTag<>("flow-usage", TypeInformation.of(FlowUsage.class));

    /** Side output: what the window drivers of the intelligence indicators observe of flows. */
    public static final OutputTag<IntelObservation> INTEL_OBSERVATIONS =
            new OutputTag<>("intel-observations", TypeInformation.of(IntelObservation.class));

    public static final String METRIC_FLOWS = "flowsCreated";
    public static final String METRIC_PURGED = "flowsPurged";
    public static final String METRIC_PACKETS = "flowPackets";
    public static final String METRIC_LATE = "latePackets";

    /** Agents whose capture ended: agent id to the time of its last packet, in ms. */
    public static final MapStateDescriptor<String, Long> ENDED_AGENTS =
            new MapStateDescriptor<>("ended-agents", Types.STRING, Types.LONG);

    /** Feeds replaced while the job runs: name to the newest version. */
    public static final MapStateDescriptor<String, FeedUpdate> FEEDS =
            new MapStateDescriptor<>("feeds", Types.STRING, TypeInformation.of(FeedUpdate.class));

    public static final String METRIC_FEED_UPDATES = "feedUpdatesApplied";

    private static final Logger LOG = LoggerFactory.getLogger(FlowTracker.class);

    private static final ValueStateDescriptor<FlowState> FLOW =
            new ValueStateDescriptor<>("flow", TypeInformation.of(FlowState.class));

    private final FlowSettings settings;

    private transient ValueState<FlowState> state;
    private transient FlowLifecycle lifecycle;
    private transient FlowJson json;
    private transient Emitter emitter;
    private transient IntelEvaluator intel;
    private transient Counter flowsCreated;
    private transient Counter flowsPurged;
    private transient Counter packets;
    private transient Counter latePackets;
    private transient Counter feedUpdates;
    private transient boolean feedsRestored;

    public FlowTracker(FlowSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(FLOW);
        lifecycle = new FlowLifecycle(settings);
        json = new FlowJson();
        emitter = new Emitter();
        intel = new IntelEvaluator(settings.indicators(), new FeedSet());
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("flowtap");
        flowsCreated = metrics.counter(METRIC_FLOWS);
        flowsPurged = metrics.counter(METRIC_PURGED);
        packets = metrics.counter(METRIC_PACKETS);
        latePackets = metrics.counter(METRIC_LATE);
        feedUpdates = metrics.counter(METRIC_FEED_UPDATES);
    }

    @Override
    public void processElement(
            PacketEvent event, ReadOnlyContext ctx, Collector<TelemetryRecord> out)
            throws Exception {
        restoreFeeds(ctx);
        long watermark = ctx.timerService().currentWatermark();
        long first = event.getPackets().get(0).getTsNs() / 1_000_000L;
        int n = event.getPackets().size();
        packets.inc(n);
        if (first < watermark) {
            latePackets.inc(n);
        }
        emitter.bind(out, ctx::output, ctx.timerService(), watermark);
        FlowState flow = lifecycle.onEvent(state.value(), event, emitter);
        schedule(flow, ctx.timerService());
        state.update(flow);
    }

    /** Once after a restore: the feed versions the broadcast state holds come into force. */
    private void restoreFeeds(ReadOnlyContext ctx) throws Exception {
        if (feedsRestored) {
            return;
        }
        feedsRestored = true;
        for (Map.Entry<String, FeedUpdate> e : ctx.getBroadcastState(FEEDS).immutableEntries()) {
            apply(e.getValue());
        }
    }

    private boolean apply(FeedUpdate update) {
        try {
            intel.feeds().replace(update.parse());
            return true;
        } catch (FeedException e) {
            // The watcher sends only feeds that parse: this is a bug, not a bad file.
            LOG.error("{}: refused a feed version the watcher accepted: {}", update.source, e);
            return false;
        }
    }

    @Override
    public void processBroadcastElement(
            TrackerControl control, Context ctx, Collector<TelemetryRecord> out) throws Exception {
        if (control.feed != null) {
            if (apply(control.feed)) {
                ctx.getBroadcastState(FEEDS).put(control.feed.name, control.feed);
                feedUpdates.inc();
            }
            return;
        }
        long endMs = control.endOfCaptureNs / 1_000_000L;
        String agent = control.agentId;
        Long known = ctx.getBroadcastState(ENDED_AGENTS).get(agent);
        if (known != null && known >= endMs) {
            return;
        }
        ctx.getBroadcastState(ENDED_AGENTS).put(agent, endMs);
        if (ctx.currentWatermark() < endMs) {
            return; // packets up to the end may still be on their way: the ticks will see to it
        }
        // No timer service here: a purged flow's timer finds no state when it fires.
        emitter.bind(out, ctx::output, null, ctx.currentWatermark());
        ctx.applyToKeyedState(
                FLOW,
                (key, flowState) -> {
                    FlowState flow = flowState.value();
                    if (flow != null && flow.agentId.equals(agent) && flow.lastSeenMs <= endMs) {
                        lifecycle.advance(flow, Long.MAX_VALUE, emitter);
                        flowState.clear();
                    }
                });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryRecord> out)
            throws Exception {
        restoreFeeds(ctx);
        FlowState flow = state.value();
        if (flow == null) {
            return;
        }
        if (timestamp == flow.timerMs) {
            flow.timerMs = Long.MIN_VALUE;
        }
        // Downstream has not seen this watermark yet: what the ticks emit now is on time there.
        emitter.bind(out, ctx::output, ctx.timerService(), Long.MIN_VALUE);
        // Catch up with the watermark in one go: at the end of input it is at +inf and every
        // remaining tick of the flow runs now, ending in its purge. So does a flow whose agent's
        // capture has ended.
        long watermark = ctx.timerService().currentWatermark();
        long now = Math.max(timestamp, watermark);
        Long ended = ctx.getBroadcastState(ENDED_AGENTS).get(flow.agentId);
        if (ended != null && watermark >= ended && flow.lastSeenMs <= ended) {
            now = Long.MAX_VALUE;
        }
        flow = lifecycle.advance(flow, now, emitter);
        if (flow == null) {
            state.clear();
            return;
        }
        schedule(flow, ctx.timerService());
        state.update(flow);
    }

    private static void schedule(FlowState flow, TimerService timers) {
        if (flow.timerMs == flow.nextTickMs) {
            return;
        }
        if (flow.timerMs != Long.MIN_VALUE) {
            timers.deleteEventTimeTimer(flow.timerMs);
        }
        timers.registerEventTimeTimer(flow.nextTickMs);
        flow.timerMs = flow.nextTickMs;
    }

    /** Where the Parquet rows and usage go: the context's side outputs. */
    private interface SideOutput {
        <X> void output(OutputTag<X> tag, X value);
    }

    /** Turns lifecycle decisions into records on the current collector. */
    private final class Emitter implements FlowLifecycle.Output, IntelEvaluator.Output {
        private Collector<TelemetryRecord> out;
        private SideOutput side;
        private TimerService timers;
        private long forwardedWatermark;

        /**
         * @param timers the current key's timers, or null where there are none to clean up
         * @param forwardedWatermark the watermark operators downstream have already seen
         */
        void bind(
                Collector<TelemetryRecord> out,
                SideOutput side,
                TimerService timers,
                long forwardedWatermark) {
            this.out = out;
            this.side = side;
            this.timers = timers;
            this.forwardedWatermark = forwardedWatermark;
        }

        @Override
        public void flow(FlowState flow, long timeMs) {
            flowsCreated.inc();
            out.collect(
                    new TelemetryRecord(FlowJson.TYPE_FLOW, flow.digest, timeMs, json.flow(flow)));
            intel.onEvent(flow, IntelEvent.DPI_NEW, timeMs, this);
        }

        @Override
        public void flowNew(FlowState flow, long timeMs) {
            intel.onEvent(flow, IntelEvent.FLOW_NEW, timeMs, this);
        }

        @Override
        public void record(TelemetryRecord record) {
            out.collect(record);
        }

        @Override
        public void observation(IntelObservation observation) {
            side.output(INTEL_OBSERVATIONS, observation);
        }

        @Override
        public void dpiUpdate(FlowState flow, long timeMs) {
            out.collect(
                    new TelemetryRecord(
                            FlowJson.TYPE_FLOW_DPI_UPDATE,
                            flow.digest,
                            timeMs,
                            json.flow(flow, FlowJson.TYPE_FLOW_DPI_UPDATE)));
            intel.onEvent(flow, IntelEvent.DPI_UPDATE, timeMs, this);
        }

        @Override
        public void dpiComplete(FlowState flow, long timeMs) {
            out.collect(
                    new TelemetryRecord(
                            FlowJson.TYPE_FLOW_DPI_COMPLETE,
                            flow.digest,
                            timeMs,
                            json.flow(flow, FlowJson.TYPE_FLOW_DPI_COMPLETE)));
            intel.onEvent(flow, IntelEvent.DPI_COMPLETE, timeMs, this);
        }

        @Override
        public void usage(FlowState flow, long startMs, long endMs) {
            long interval = endMs - startMs;
            long w = forwardedWatermark;
            if (endMs <= w && w < Long.MAX_VALUE - interval) {
                // Late packets reopened an interval whose windows have fired downstream: they
                // count in the interval the watermark is in, instead of being dropped there.
                startMs = Math.floorDiv(w, interval) * interval;
                endMs = startMs + interval;
            }
            FlowUsage u = FlowUsages.of(flow, startMs, endMs);
            side.output(FLOW_USAGE, u);
            intel.onUsage(flow, u, this);
        }

        @Override
        public void stats(FlowState flow, long timeMs) {
            out.collect(
                    new TelemetryRecord(
                            FlowJson.TYPE_FLOW_STATS, flow.digest, timeMs, json.stats(flow)));
            intel.onEvent(flow, IntelEvent.FLOW_STATS, timeMs, this);
            intel.onFirstReport(flow, timeMs, this);
        }

        @Override
        public void purge(FlowState flow, long timeMs, PurgeReason reason) {
            flowsPurged.inc();
            intel.onEvent(flow, IntelEvent.FLOW_EXPIRED, timeMs, this);
            intel.onFirstReport(flow, timeMs, this);
            out.collect(
                    new TelemetryRecord(
                            FlowJson.TYPE_FLOW_PURGE,
                            flow.digest,
                            timeMs,
                            json.purge(flow, reason)));
            side.output(FLOW_ROWS, FlowRows.of(flow, timeMs, reason));
            if (flow.timerMs != Long.MIN_VALUE && timers != null) {
                timers.deleteEventTimeTimer(flow.timerMs);
                flow.timerMs = Long.MIN_VALUE;
            }
        }
    }
}
