package io.flowtap.job;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowLifecycle;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.intel.FeedSet;
import io.flowtap.intel.IntelEvaluator;
import io.flowtap.intel.IntelEvent;
import io.flowtap.intel.IntelObservation;
import io.flowtap.schema.PacketEvent;
import io.flowtap.telemetry.FlowJson;
import io.flowtap.telemetry.FlowRows;
import io.flowtap.telemetry.FlowUsages;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.Serializable;

/**
 * What every flow tracker does per key: one flow per key, its packet events and timers handed to
 * {@link FlowLifecycle}, its decisions turned into records. {@link FlowTracker} (with a broadcast
 * input for markers and feeds) and {@link ChainedFlowTracker} (one input) keep the flows in Flink's
 * keyed state and timers; {@link TableFlowTracker} in a table of its own ({@link FlowTable}).
 */
final class FlowTracking implements Serializable {
    private static final long serialVersionUID = 1L;

    static final ValueStateDescriptor<FlowState> FLOW =
            new ValueStateDescriptor<>("flow", TypeInformation.of(FlowState.class));

    /** When agents ended their capture, as far as the tracker knows. */
    interface EndedAgents {
        EndedAgents NONE = agent -> null;

        /** The time of the agent's last packet in ms, or null while its capture goes on. */
        Long lastPacketMs(String agentId) throws Exception;
    }

    /** Where the current key's flow lives. */
    interface FlowStore {
        FlowState value() throws Exception;

        void update(FlowState flow) throws Exception;

        void clear();

        static FlowStore of(ValueState<FlowState> state) {
            return new FlowStore() {
                @Override
                public FlowState value() throws Exception {
                    return state.value();
                }

                @Override
                public void update(FlowState flow) throws Exception {
                    state.update(flow);
                }

                @Override
                public void clear() {
                    state.clear();
                }
            };
        }
    }

    /** The current key's event-time timers, in ms. */
    interface Timers {
        long currentWatermark();

        void register(long timestampMs);

        void delete(long timestampMs);

        static Timers of(TimerService timers) {
            return new Timers() {
                @Override
                public long currentWatermark() {
                    return timers.currentWatermark();
                }

                @Override
                public void register(long timestampMs) {
                    timers.registerEventTimeTimer(timestampMs);
                }

                @Override
                public void delete(long timestampMs) {
                    timers.deleteEventTimeTimer(timestampMs);
                }
            };
        }
    }

    /** Where side-output records go: the current context's side outputs. */
    interface SideOutput {
        <X> void output(OutputTag<X> tag, X value);
    }

    private final FlowSettings settings;
    private final boolean idleTicks;
    private transient FlowStore state;
    private transient FlowLifecycle lifecycle;
    private transient FlowJson json;
    private transient Emitter emitter;
    private transient IntelEvaluator intel;
    private transient Counter flowsCreated;
    private transient Counter flowsPurged;
    private transient Counter packets;
    private transient Counter latePackets;
    private transient TimerService adaptedService;
    private transient Timers adapted;

    /**
     * @param idleTicks whether idle flows tick every interval ({@link FlowLifecycle}): needed where
     *     end-of-capture markers end an agent's flows
     */
    FlowTracking(FlowSettings settings, boolean idleTicks) {
        this.settings = settings;
        this.idleTicks = idleTicks;
    }

    /** Opens with the flows in the context's keyed state. */
    void open(RuntimeContext context) {
        open(context, FlowStore.of(context.getState(FLOW)));
    }

    void open(RuntimeContext context, FlowStore flows) {
        state = flows;
        lifecycle = new FlowLifecycle(settings, idleTicks);
        json = new FlowJson();
        emitter = new Emitter();
        intel = new IntelEvaluator(settings.indicators(), new FeedSet());
        MetricGroup metrics = flowtapMetrics(context);
        flowsCreated = metrics.counter(FlowTracker.METRIC_FLOWS);
        flowsPurged = metrics.counter(FlowTracker.METRIC_PURGED);
        packets = metrics.counter(FlowTracker.METRIC_PACKETS);
        latePackets = metrics.counter(FlowTracker.METRIC_LATE);
    }

    static MetricGroup flowtapMetrics(RuntimeContext context) {
        return context.getMetricGroup().addGroup("flowtap");
    }

    /** The feeds the indicators match against. */
    FeedSet feeds() {
        return intel.feeds();
    }

    /** One packet event of the current key's flow, with Flink's timers. */
    void onEvent(
            PacketEvent event, TimerService timers, SideOutput side, Collector<TelemetryRecord> out)
            throws Exception {
        onEvent(event, adapt(timers), side, out);
    }

    /** The current key's timer at {@code timestamp}, with Flink's timers. */
    void onTimer(
            long timestamp,
            EndedAgents ended,
            TimerService timers,
            SideOutput side,
            Collector<TelemetryRecord> out)
            throws Exception {
        onTimer(timestamp, ended, adapt(timers), side, out);
    }

    /** The adapter of an operator's timer service, which stays the same object while it runs. */
    private Timers adapt(TimerService timers) {
        if (timers != adaptedService) {
            adaptedService = timers;
            adapted = Timers.of(timers);
        }
        return adapted;
    }

    /** One packet event of the current key's flow. */
    void onEvent(PacketEvent event, Timers timers, SideOutput side, Collector<TelemetryRecord> out)
            throws Exception {
        long watermark = timers.currentWatermark();
        long first = event.getPackets().get(0).getTsNs() / 1_000_000L;
        int n = event.getPackets().size();
        packets.inc(n);
        if (first < watermark) {
            latePackets.inc(n);
        }
        emitter.bind(out, side, timers, watermark);
        FlowState flow = lifecycle.onEvent(state.value(), event, emitter);
        schedule(flow, timers);
        state.update(flow);
    }

    /**
     * The current key's timer at {@code timestamp}.
     *
     * @param ended which agents ended their capture
     */
    void onTimer(
            long timestamp,
            EndedAgents ended,
            Timers timers,
            SideOutput side,
            Collector<TelemetryRecord> out)
            throws Exception {
        FlowState flow = state.value();
        if (flow == null) {
            return;
        }
        if (timestamp == flow.timerMs) {
            flow.timerMs = Long.MIN_VALUE;
        }
        // Downstream has not seen this watermark yet: what the ticks emit now is on time there.
        emitter.bind(out, side, timers, Long.MIN_VALUE);
        // Catch up with the watermark in one go: at the end of input it is at +inf and every
        // remaining tick of the flow runs now, ending in its purge. So does a flow whose agent's
        // capture has ended.
        long watermark = timers.currentWatermark();
        long now = Math.max(timestamp, watermark);
        Long endedMs = ended.lastPacketMs(flow.agentId);
        if (endedMs != null && watermark >= endedMs && flow.lastSeenMs <= endedMs) {
            now = Long.MAX_VALUE;
        }
        flow = lifecycle.advance(flow, now, emitter);
        if (flow == null) {
            state.clear();
            return;
        }
        schedule(flow, timers);
        state.update(flow);
    }

    /**
     * Ends a flow of an agent whose capture ended, outside any key's timers (a purged flow's timer
     * finds no state when it fires).
     */
    void end(FlowState flow, long watermark, SideOutput side, Collector<TelemetryRecord> out) {
        emitter.bind(out, side, null, watermark);
        lifecycle.advance(flow, Long.MAX_VALUE, emitter);
    }

    private static void schedule(FlowState flow, Timers timers) {
        if (flow.timerMs == flow.nextTickMs) {
            return;
        }
        if (flow.timerMs != Long.MIN_VALUE) {
            timers.delete(flow.timerMs);
        }
        timers.register(flow.nextTickMs);
        flow.timerMs = flow.nextTickMs;
    }

    /** Turns lifecycle decisions into records on the current collector. */
    private final class Emitter implements FlowLifecycle.Output, IntelEvaluator.Output {
        private Collector<TelemetryRecord> out;
        private SideOutput side;
        private Timers timers;
        private long forwardedWatermark;

        /**
         * @param timers the current key's timers, or null where there are none to clean up
         * @param forwardedWatermark the watermark operators downstream have already seen
         */
        void bind(
                Collector<TelemetryRecord> out,
                SideOutput side,
                Timers timers,
                long forwardedWatermark) {
            this.out = out;
            this.side = side;
            this.timers = timers;
            this.forwardedWatermark = forwardedWatermark;
        }

        /** A record with the whole flow body, then what the indicators make of that event. */
        private void flowRecord(
                String type, byte[] json, IntelEvent event, FlowState flow, long timeMs) {
            out.collect(new TelemetryRecord(type, flow.digest, timeMs, json));
            intel.onEvent(flow, event, timeMs, this);
        }

        @Override
        public void flow(FlowState flow, long timeMs) {
            flowsCreated.inc();
            flowRecord(FlowJson.TYPE_FLOW, json.flow(flow), IntelEvent.DPI_NEW, flow, timeMs);
        }

        @Override
        public void flowAndDpiComplete(FlowState flow, long timeMs) {
            flowsCreated.inc();
            byte[] record = json.flow(flow);
            flowRecord(FlowJson.TYPE_FLOW, record, IntelEvent.DPI_NEW, flow, timeMs);
            flowRecord(
                    FlowJson.TYPE_FLOW_DPI_COMPLETE,
                    FlowJson.asDpiComplete(record),
                    IntelEvent.DPI_COMPLETE,
                    flow,
                    timeMs);
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
            side.output(FlowTracker.INTEL_OBSERVATIONS, observation);
        }

        @Override
        public void dpiUpdate(FlowState flow, long timeMs) {
            String type = FlowJson.TYPE_FLOW_DPI_UPDATE;
            flowRecord(type, json.flow(flow, type), IntelEvent.DPI_UPDATE, flow, timeMs);
        }

        @Override
        public void dpiComplete(FlowState flow, long timeMs) {
            String type = FlowJson.TYPE_FLOW_DPI_COMPLETE;
            flowRecord(type, json.flow(flow, type), IntelEvent.DPI_COMPLETE, flow, timeMs);
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
            side.output(FlowTracker.FLOW_USAGE, u);
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
            side.output(FlowTracker.FLOW_ROWS, FlowRows.of(flow, timeMs, reason));
            if (flow.timerMs != Long.MIN_VALUE && timers != null) {
                timers.delete(flow.timerMs);
                flow.timerMs = Long.MIN_VALUE;
            }
        }
    }
}
