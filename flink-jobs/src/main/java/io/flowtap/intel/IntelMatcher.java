package io.flowtap.intel;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.flow.FlowState;

/**
 * Decides whether an indicator fires for a flow: its criteria, then its driver's match against its
 * feeds. No Flink here: the flow tracker calls it at the events the indicator listens to.
 */
public final class IntelMatcher {
    private IntelMatcher() {}

    /**
     * @param attributes the flow read as the expression language reads it
     * @return the name of the feed that matched, or null when the indicator does not fire
     */
    public static String match(Indicator ind, FlowState flow, FlowUsage attributes) {
        if (flow.lowerBytes + flow.upperBytes < ind.minBytes()
                || flow.meta.riskScore < ind.minScore()
                || (!ind.onEastWest() && "local".equals(attributes.otherType()))
                || (!ind.onWan() && !flow.internal)
                || !ind.expression().test(attributes)) {
            return null;
        }
        boolean fingerprints = ind.driver().name().equals("ja4_blocklist");
        for (Feed feed : ind.feeds()) {
            boolean hit =
                    fingerprints
                            ? feed.matchesFingerprint(flow.meta.tlsJa4)
                            : feed.matchesAddress(attributes.otherAddr)
                                    || feed.matchesDomain(attributes.hostname)
                                    || feed.matchesDomain(attributes.dnsHostnameText);
            if (hit) {
                return feed.name();
            }
        }
        return null;
    }
}
