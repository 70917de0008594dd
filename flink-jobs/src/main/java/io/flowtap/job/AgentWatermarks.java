package io.flowtap.job;

import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The watermark of one Kafka partition that several agents write to: bounded out-of-orderness, as
 * Flink's own generator, but taken over the agents that are still sending. An agent's
 * end-of-capture marker is stamped past its last packet so that the watermark it raises ends its
 * flows; raised for the whole partition, it would also make the packets other agents are still
 * sending late, and split their flows. So an agent that has ended, or has sent nothing for the
 * idleness timeout, no longer counts while another still sends; once none does, the partition's
 * watermark follows its newest event (an ended agent's marker included), as Flink's would.
 */
final class AgentWatermarks implements WatermarkGenerator<PacketEvent> {
    private static final class Agent {
        long maxTimestamp = Long.MIN_VALUE;

        /** Whether an event came since the last periodic emit, which then reads the clock. */
        boolean sentSinceEmit;

        long lastSentWallMs;
        boolean ended;
    }

    private final long outOfOrdernessMs;
    private final long idleMs;
    private final LongSupplier clock;
    private final Map<String, Agent> agents = new HashMap<>();
    private long emitted = Long.MIN_VALUE;
    private String lastId;
    private Agent last;

    /**
     * @param idleness how long an agent may send nothing before it stops holding the watermark
     *     back; zero for never
     */
    AgentWatermarks(Duration outOfOrderness, Duration idleness) {
        this(outOfOrderness, idleness, System::currentTimeMillis);
    }

    AgentWatermarks(Duration outOfOrderness, Duration idleness, LongSupplier wallClockMs) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.idleMs = idleness.toMillis();
        this.clock = wallClockMs;
    }

    @Override
    public void onEvent(PacketEvent event, long timestamp, WatermarkOutput output) {
        String id = event.getAgentId();
        if (!id.equals(lastId)) { // a partition's events mostly come from one agent at a time
            lastId = id;
            last = agents.computeIfAbsent(id, k -> new Agent());
        }
        last.maxTimestamp = Math.max(last.maxTimestamp, timestamp);
        last.sentSinceEmit = true;
        last.ended = PacketEvents.isEndOfCapture(event); // a packet after a marker: a new run
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.getAsLong();
        long sending = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        for (Agent a : agents.values()) {
            if (a.sentSinceEmit) {
                a.sentSinceEmit = false;
                a.lastSentWallMs = now;
            }
            newest = Math.max(newest, a.maxTimestamp);
            boolean idle = idleMs > 0 && now - a.lastSentWallMs >= idleMs;
            if (!a.ended && !idle) {
                sending = Math.min(sending, a.maxTimestamp);
            }
        }
        long basis = sending != Long.MAX_VALUE ? sending : newest;
        if (basis == Long.MIN_VALUE) {
            return;
        }
        // As Flink's bounded out-of-orderness: the newest time minus the bound, minus one.
        long watermark = basis - outOfOrdernessMs - 1;
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
