package io.flowtap.job;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.FlowTable;
import io.flowtap.flow.FlowTable.FlowId;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.Sha1;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;

/**
 * The flow tracker of a backfill at parallelism 1 with heap state: {@link ChainedFlowTracker}'s
 * records, with the flows and their timers in a {@link FlowTable} of its own instead of Flink's
 * keyed state and timer service. Chained to the capture source, one instance sees every flow, so it
 * needs no key context: an event finds its flow by agent and digest in a hash map, where keyed
 * state first formats the digest as a string key, hashes it to a key group and looks it up there;
 * and its timers sit in one sorted map of tick times.
 *
 * <p>Checkpoints hold the table as operator state, a list of (agent, digest, flow), each flow with
 * the time of its timer; a restore rebuilds the timers from it. Records emitted for an event carry
 * the event's timestamp, those of a timer the timer's time, as in a keyed process function.
 */
public final class TableFlowTracker extends AbstractStreamOperator<TelemetryRecord>
        implements OneInputStreamOperator<PacketEvent, TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    static final ListStateDescriptor<Tuple3<String, byte[], FlowState>> TABLE =
            new ListStateDescriptor<>(
                    "flow-table",
                    Types.TUPLE(
                            Types.STRING,
                            Types.PRIMITIVE_ARRAY(Types.BYTE),
                            TypeInformation.of(FlowState.class)));

    private final FlowSettings settings;

    private transient FlowTable table;
    private transient FlowTracking tracking;
    private transient ListState<Tuple3<String, byte[], FlowState>> snapshot;
    private transient long watermark;

    /** The flow of the event or timer at hand. */
    private transient FlowId current;

    /** The timestamp records get now, as a keyed process function's collector sets it. */
    private transient long timestamp;

    private transient boolean hasTimestamp;
    private transient StreamRecord<TelemetryRecord> reuse;
    private transient Collector<TelemetryRecord> out;
    private transient FlowTracking.SideOutput side;
    private transient FlowTracking.FlowStore store;
    private transient FlowTracking.Timers timers;

    public TableFlowTracker(FlowSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        table = new FlowTable();
        snapshot = context.getOperatorStateStore().getListState(TABLE);
        if (context.isRestored()) {
            for (Tuple3<String, byte[], FlowState> entry : snapshot.get()) {
                FlowId id = new FlowId(entry.f0, new Sha1(entry.f1));
                table.put(id, entry.f2);
                if (entry.f2.timerMs != Long.MIN_VALUE) {
                    table.registerTimer(id, entry.f2.timerMs);
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
        out = new RecordOutput();
        side = this::sideOutput;
        store = new CurrentFlow();
        timers = new CurrentTimers();
        // No markers end flows here: an idle flow sleeps until its expiry instead of ticking.
        tracking = new FlowTracking(settings, false);
        tracking.open(getRuntimeContext(), store);
    }

    @Override
    public void processElement(StreamRecord<PacketEvent> element) throws Exception {
        PacketEvent event = element.getValue();
        current = new FlowId(event.getAgentId(), event.getFlow().getDigest());
        hasTimestamp = element.hasTimestamp();
        timestamp = element.getTimestamp();
        tracking.onEvent(event, timers, side, out);
    }

    /** Fires every timer up to the watermark, then passes the watermark on. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        while (table.timerCount() > 0 && table.nextTimerMs() <= watermark) {
            long time = table.nextTimerMs();
            current = table.pollTimer();
            hasTimestamp = true;
            timestamp = time;
            tracking.onTimer(time, FlowTracking.EndedAgents.NONE, timers, side, out);
        }
        output.emitWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<Tuple3<String, byte[], FlowState>> entries = new ArrayList<>(table.size());
        table.forEach(
                (id, flow) -> entries.add(Tuple3.of(id.agentId(), id.digest().bytes(), flow)));
        snapshot.update(entries);
    }

    /** Flows open now (tests). */
    int openFlows() {
        return table.size();
    }

    private <X> void sideOutput(OutputTag<X> tag, X value) {
        output.collect(tag, new StreamRecord<>(value, timestamp));
    }

    private final class RecordOutput implements Collector<TelemetryRecord> {
        @Override
        public void collect(TelemetryRecord record) {
            if (hasTimestamp) {
                reuse.replace(record, timestamp);
            } else {
                reuse.replace(record);
                reuse.eraseTimestamp();
            }
            output.collect(reuse);
        }

        @Override
        public void close() {
            output.close();
        }
    }

    private final class CurrentFlow implements FlowTracking.FlowStore {
        @Override
        public FlowState value() {
            return table.get(current);
        }

        @Override
        public void update(FlowState flow) {
            table.put(current, flow);
        }

        @Override
        public void clear() {
            table.remove(current);
        }
    }

    private final class CurrentTimers implements FlowTracking.Timers {
        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public void register(long timestampMs) {
            table.registerTimer(current, timestampMs);
        }

        @Override
        public void delete(long timestampMs) {
            table.deleteTimer(current, timestampMs);
        }
    }
}
