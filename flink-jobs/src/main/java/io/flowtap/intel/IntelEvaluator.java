package io.flowtap.intel;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.dpi.Protocols;
import io.flowtap.flow.FlowState;
import io.flowtap.telemetry.FlowUsages;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Evaluates the configured indicators at a flow's events, for the flow tracker: a flow driver's
 * indicator fires at most once per flow, as a {@code flow_intel} record; a window driver's gets an
 * observation of each flow that meets its criteria (scans, new devices and DNS names once per flow,
 * uploads once per update interval). Which indicators have fired or observed a flow is kept in the
 * flow's {@link FlowState#intelFired} bits. No Flink here.
 */
public final class IntelEvaluator {
    /** Where the evaluator's results go. */
    public interface Output {
        void record(TelemetryRecord record);

        void observation(IntelObservation observation);
    }

    private final List<Indicator> indicators;
    private final FeedSet feeds;

    public IntelEvaluator(List<Indicator> indicators, FeedSet feeds) {
        this.indicators = indicators;
        this.feeds = feeds;
    }

    /** The feed versions this evaluator matches against. */
    public FeedSet feeds() {
        return feeds;
    }

    /** A flow event: the flow drivers listening to it, and the window drivers observing at it. */
    public void onEvent(FlowState flow, IntelEvent event, long timeMs, Output out) {
        FlowUsage attributes = null;
        for (int i = 0; i < indicators.size(); i++) {
            Indicator ind = indicators.get(i);
            if (fired(flow, i)) {
                continue;
            }
            IntelDriver d = ind.driver();
            if (d.perFlow()) {
                if (!ind.events().contains(event)) {
                    continue;
                }
                if (attributes == null) {
                    attributes = FlowUsages.of(flow, timeMs, timeMs);
                }
                String match = IntelMatcher.match(ind, flow, attributes, feeds);
                if (match != null) {
                    flow.intelFired |= 1L << i;
                    out.record(flowRecord(ind, flow, event, timeMs, match));
                }
            } else if (observesAt(d, event, flow)) {
                flow.intelFired |= 1L << i;
                if (attributes == null) {
                    attributes = FlowUsages.of(flow, timeMs, timeMs);
                }
                if (IntelMatcher.criteriaHold(ind, flow, attributes)) {
                    IntelObservation o = observation(i, flow, attributes);
                    if (d.match() == IntelDriver.Match.NEW_DEVICE) {
                        o.timeMs = flow.firstSeenMs;
                        if (!flow.localInLocalNetwork
                                || !unicast(attributes.localMacAddr)
                                || inventoried(ind, attributes.localMac)) {
                            continue;
                        }
                    } else {
                        o.timeMs = timeMs;
                        o.name = flow.meta.hostServerName;
                    }
                    out.observation(o);
                }
            }
        }
    }

    /**
     * The flow's first report (its first {@code flow_stats}, or its purge if that comes first):
     * whether the other end answered is known by then, so scans are observed here.
     */
    public void onFirstReport(FlowState flow, long timeMs, Output out) {
        FlowUsage attributes = null;
        for (int i = 0; i < indicators.size(); i++) {
            Indicator ind = indicators.get(i);
            IntelDriver.Match m = ind.driver().match();
            if (fired(flow, i)
                    || m != IntelDriver.Match.PORT_SCAN && m != IntelDriver.Match.HOST_SCAN) {
                continue;
            }
            flow.intelFired |= 1L << i;
            if (attributes == null) {
                attributes = FlowUsages.of(flow, timeMs, timeMs);
            }
            boolean failed = failed(flow);
            if (!attributes.localOrigin
                    || ind.flag("failed_only") && !failed
                    || !IntelMatcher.criteriaHold(ind, flow, attributes)) {
                continue;
            }
            IntelObservation o = observation(i, flow, attributes);
            o.timeMs = flow.firstSeenMs;
            o.failed = failed;
            out.observation(o);
        }
    }

    /** What a flow carried in one update interval: upload indicators observe it. */
    public void onUsage(FlowState flow, FlowUsage usage, Output out) {
        for (int i = 0; i < indicators.size(); i++) {
            Indicator ind = indicators.get(i);
            if (ind.driver().match() != IntelDriver.Match.UPLOAD_ANOMALY
                    || usage.localBytes == 0
                    || !IntelMatcher.criteriaHold(ind, flow, usage)) {
                continue;
            }
            IntelObservation o = observation(i, flow, usage);
            o.timeMs = usage.startMs;
            o.localBytes = usage.localBytes;
            out.observation(o);
        }
    }

    /** Whether any indicator needs each flow's per-interval usage. */
    public static boolean needsUsage(List<Indicator> indicators) {
        return indicators.stream()
                .anyMatch(i -> i.driver().match() == IntelDriver.Match.UPLOAD_ANOMALY);
    }

    private static boolean fired(FlowState flow, int i) {
        return (flow.intelFired & (1L << i)) != 0;
    }

    private static boolean observesAt(IntelDriver d, IntelEvent event, FlowState flow) {
        switch (d.match()) {
            case NEW_DEVICE:
                return event == IntelEvent.FLOW_NEW;
            case DNS_TUNNEL:
                return event == IntelEvent.DPI_COMPLETE
                        && flow.meta.protocol == Protocols.DNS
                        && flow.meta.hostServerName != null;
            default:
                return false;
        }
    }

    /**
     * A scan probe that went nowhere: the other end sent nothing, or (TCP) one packet and there was
     * a reset: a refusal, or a half-open probe the scanner reset itself.
     */
    static boolean failed(FlowState f) {
        long other = f.lowerIsLocal ? f.upperPackets : f.lowerPackets;
        return other == 0 || f.isTcp() && other <= 1 && f.tcpResets > 0;
    }

    /** Whether a feed of the indicator (in its version in force) lists the MAC. */
    private boolean inventoried(Indicator ind, String mac) {
        for (Feed f : ind.feeds()) {
            if (feeds.current(f).matchesMac(mac)) {
                return true;
            }
        }
        return false;
    }

    private static boolean unicast(byte[] mac) {
        if (mac == null || mac.length != 6 || (mac[0] & 1) != 0) {
            return false;
        }
        for (byte b : mac) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    private static IntelObservation observation(int indicator, FlowState flow, FlowUsage a) {
        IntelObservation o = new IntelObservation();
        o.indicator = indicator;
        o.agentId = flow.agentId;
        o.digest = flow.digest;
        o.interfaceName = flow.interfaceName;
        o.internal = flow.internal;
        o.localIp = a.localIp;
        o.localMac = a.localMac;
        o.otherIp = a.otherIp;
        o.otherPort = a.otherPortNumber;
        o.ipProtocol = flow.ipProtocol;
        o.localBytes = flow.lowerIsLocal ? flow.lowerBytes : flow.upperBytes;
        return o;
    }

    private static TelemetryRecord flowRecord(
            Indicator ind, FlowState flow, IntelEvent event, long timeMs, String match) {
        String feed = null;
        String finding = null;
        ObjectNode evidence = null;
        if (ind.driver().requiresFeeds()) {
            feed = match;
        } else {
            finding = match;
            if (ind.driver().match() == IntelDriver.Match.DGA) {
                evidence = IntelJson.evidence().put("name", IntelMatcher.generatedName(flow));
            }
        }
        return new TelemetryRecord(
                ind.recordType(),
                flow.digest,
                timeMs,
                IntelJson.render(
                        ind,
                        flow.digest,
                        flow.interfaceName,
                        flow.internal,
                        event,
                        feed,
                        finding,
                        evidence));
    }
}
