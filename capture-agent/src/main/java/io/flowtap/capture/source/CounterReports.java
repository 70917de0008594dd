package io.flowtap.capture.source;

import io.flowtap.capture.decode.DecoderCounters;
import io.flowtap.capture.flow.PacketEventAssembler;
import io.flowtap.schema.InterfaceCounters;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import java.util.function.LongSupplier;

/**
 * Cuts one interface's decoder counters into reports, one per update interval of capture time
 * (intervals aligned to the epoch, like the job's), so that the job can sum them in event-time
 * windows: a frame that starts a later interval first releases the report of what came before it.
 * Counting stays in the decoder; this class only remembers what was reported already.
 */
public final class CounterReports {
    private static final LongSupplier NONE = () -> 0;

    private final String agentId;
    private final long intervalNs;
    private final DecoderCounters decoder;
    private final PacketEventAssembler assembler;
    private DecoderCounters reported = new DecoderCounters();
    private long reportedSeqErrors;
    private long reportedCaptureDropped;
    private long reportedCaptureFiltered;
    private long reportedQueueDropped;
    private LongSupplier captureDropped = NONE;
    private LongSupplier captureFiltered = NONE;
    private LongSupplier queueDropped = NONE;

    private String interfaceName;
    private long interval = Long.MIN_VALUE;
    private long largest;
    private long lastFrameNs = -1;

    /**
     * @param intervalNs the update interval; 0 reports only at the end of capture
     * @param decoder the counters of the interface's decoder
     * @param assembler the interface's event assembler, which follows TCP sequence numbers
     */
    public CounterReports(
            String agentId,
            long intervalNs,
            DecoderCounters decoder,
            PacketEventAssembler assembler) {
        this.agentId = agentId;
        this.intervalNs = intervalNs;
        this.decoder = decoder;
        this.assembler = assembler;
    }

    /** Where a live capture's drop counts come from (running totals); none by default. */
    public CounterReports drops(
            LongSupplier captureDropped, LongSupplier captureFiltered, LongSupplier queueDropped) {
        this.captureDropped = captureDropped;
        this.captureFiltered = captureFiltered;
        this.queueDropped = queueDropped;
        return this;
    }

    /**
     * Notes a frame before the decoder counts it.
     *
     * @return the report of the interval before, when this frame starts a later one; else null
     */
    public PacketEvent frame(String interfaceName, long timestampNs, long length) {
        PacketEvent report = null;
        long i = intervalNs > 0 ? Math.floorDiv(timestampNs, intervalNs) : 0;
        if (i > interval) {
            if (interval != Long.MIN_VALUE) {
                report = report();
            }
            interval = i;
        }
        if (this.interfaceName == null) {
            this.interfaceName = interfaceName;
        }
        largest = Math.max(largest, length);
        lastFrameNs = Math.max(lastFrameNs, timestampNs);
        return report;
    }

    /** The report of what was counted since the last one, or null when nothing was. */
    public PacketEvent flush() {
        return report();
    }

    private PacketEvent report() {
        DecoderCounters c = decoder;
        DecoderCounters r = reported;
        long seqErrors = assembler == null ? 0 : assembler.tcpSeqErrors();
        long dropped = captureDropped.getAsLong();
        long filtered = captureFiltered.getAsLong();
        long queued = queueDropped.getAsLong();
        if (lastFrameNs < 0
                || c.raw == r.raw
                        && dropped == reportedCaptureDropped
                        && filtered == reportedCaptureFiltered
                        && queued == reportedQueueDropped) {
            return null;
        }
        InterfaceCounters counters =
                InterfaceCounters.newBuilder()
                        .setUntilNs(lastFrameNs)
                        .setRaw(c.raw - r.raw)
                        .setEthernet(c.ethernet - r.ethernet)
                        .setIp(c.ip - r.ip)
                        .setIpBytes(c.ipBytes - r.ipBytes)
                        .setWireBytes(c.wireBytes - r.wireBytes)
                        .setTcp(c.tcp - r.tcp)
                        .setUdp(c.udp - r.udp)
                        .setIcmp(c.icmp - r.icmp)
                        .setIgmp(c.igmp - r.igmp)
                        .setVlan(c.vlan - r.vlan)
                        .setMpls(c.mpls - r.mpls)
                        .setPppoe(c.pppoe - r.pppoe)
                        .setFragmented(c.fragmented - r.fragmented)
                        .setDiscarded(c.discarded - r.discarded)
                        .setDiscardedBytes(c.discardedBytes - r.discardedBytes)
                        .setLargestBytes(largest)
                        .setTcpResets(c.tcpResets - r.tcpResets)
                        .setTcpSeqErrors(seqErrors - reportedSeqErrors)
                        .setCaptureDropped(dropped - reportedCaptureDropped)
                        .setCaptureFiltered(filtered - reportedCaptureFiltered)
                        .setQueueDropped(queued - reportedQueueDropped)
                        .build();
        reported = new DecoderCounters();
        c.addTo(reported);
        reportedSeqErrors = seqErrors;
        reportedCaptureDropped = dropped;
        reportedCaptureFiltered = filtered;
        reportedQueueDropped = queued;
        largest = 0;
        return PacketEvents.counters(agentId, interfaceName == null ? "" : interfaceName, counters);
    }
}
