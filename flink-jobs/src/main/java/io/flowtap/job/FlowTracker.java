package io.flowtap.job;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.FlowState;
import io.flowtap.intel.FeedException;
import io.flowtap.intel.FeedUpdate;
import io.flowtap.intel.IntelObservation;
import io.flowtap.schema.FlowRow;
import io.flowtap.schema.PacketEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
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
 * lives in {@link io.flowtap.flow.FlowLifecycle}; {@link FlowTracking} binds it to Flink state,
 * timers and outputs, and this class adds the broadcast input.
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

    private final FlowTracking tracking;

    private transient Counter feedUpdates;
    private transient boolean feedsRestored;

    public FlowTracker(FlowSettings settings) {
        this.tracking = new FlowTracking(settings, true);
    }

    @Override
    public void open(OpenContext openContext) {
        tracking.open(getRuntimeContext());
        feedUpdates = FlowTracking.flowtapMetrics(getRuntimeContext()).counter(METRIC_FEED_UPDATES);
    }

    @Override
    public void processElement(
            PacketEvent event, ReadOnlyContext ctx, Collector<TelemetryRecord> out)
            throws Exception {
        restoreFeeds(ctx);
        tracking.onEvent(event, ctx.timerService(), ctx::output, out);
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
            tracking.feeds().replace(update.parse());
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
        long watermark = ctx.currentWatermark();
        ctx.applyToKeyedState(
                FlowTracking.FLOW,
                (key, flowState) -> {
                    FlowState flow = flowState.value();
                    if (flow != null && flow.agentId.equals(agent) && flow.lastSeenMs <= endMs) {
                        tracking.end(flow, watermark, ctx::output, out);
                        flowState.clear();
                    }
                });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryRecord> out)
            throws Exception {
        restoreFeeds(ctx);
        tracking.onTimer(
                timestamp,
                agent -> ctx.getBroadcastState(ENDED_AGENTS).get(agent),
                ctx.timerService(),
                ctx::output,
                out);
    }
}
