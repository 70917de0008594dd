package io.flowtap.intel;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.dpi.Risks;
import io.flowtap.flow.FlowState;

/**
 * Decides whether an indicator fires for a flow: its criteria, then its driver's match against its
 * feeds. No Flink here: the flow tracker calls it at the events the indicator listens to.
 */
public final class IntelMatcher {
    private IntelMatcher() {}

    /**
     * @param attributes the flow read as the expression language reads it
     * @return the name of the feed that matched (for a driver without feeds, what it found), or
     *     null when the indicator does not fire
     */
    public static String match(Indicator ind, FlowState flow, FlowUsage attributes) {
        if (flow.lowerBytes + flow.upperBytes < ind.minBytes()
                || flow.meta.riskScore < ind.minScore()
                || (!ind.onEastWest() && "local".equals(attributes.otherType()))
                || (!ind.onWan() && !flow.internal)
                || !ind.expression().test(attributes)) {
            return null;
        }
        if (!ind.driver().usesFeeds()) {
            return tlsFinding(flow);
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

    /** The first TLS risk DPI found in the flow, by its risk name; null when none. */
    private static String tlsFinding(FlowState flow) {
        int[] risks = flow.meta.risks;
        if (risks == null) {
            return null;
        }
        for (int r : risks) {
            switch (r) {
                case Risks.TLS_SELFSIGNED_CERTIFICATE:
                    return "tls_selfsigned_certificate";
                case Risks.TLS_OBSOLETE_VERSION:
                    return "tls_obsolete_version";
                case Risks.TLS_CERTIFICATE_EXPIRED:
                    return "tls_certificate_expired";
                case Risks.TLS_CERTIFICATE_MISMATCH:
                    return "tls_certificate_mismatch";
                default:
                    break;
            }
        }
        return null;
    }
}
