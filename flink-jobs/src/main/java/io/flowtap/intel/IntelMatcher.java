package io.flowtap.intel;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.dpi.DgaHeuristic;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.Risks;
import io.flowtap.flow.FlowState;

/**
 * Decides whether an indicator applies to a flow: its criteria, then for a flow driver its match.
 * No Flink here: the flow tracker calls it at the events the indicator listens to.
 */
public final class IntelMatcher {
    private IntelMatcher() {}

    /**
     * The indicator's four criteria and its expression, which every driver applies to each flow it
     * looks at.
     *
     * @param attributes the flow read as the expression language reads it
     */
    public static boolean criteriaHold(Indicator ind, FlowState flow, FlowUsage attributes) {
        return flow.lowerBytes + flow.upperBytes >= ind.minBytes()
                && flow.meta.riskScore >= ind.minScore()
                && (ind.onEastWest() || !"local".equals(attributes.otherType()))
                && (ind.onWan() || flow.internal)
                && ind.expression().test(attributes);
    }

    /**
     * Whether a flow driver's indicator fires for the flow.
     *
     * @param attributes the flow read as the expression language reads it
     * @param feeds the feed versions in force
     * @return for a feed driver the name of the feed that matched, for the others what they found
     *     (a risk name); null when the indicator does not fire
     */
    public static String match(Indicator ind, FlowState flow, FlowUsage attributes, FeedSet feeds) {
        if (!criteriaHold(ind, flow, attributes)) {
            return null;
        }
        switch (ind.driver().match()) {
            case TLS:
                return tlsFinding(flow);
            case DGA:
                return generatedName(flow) != null ? "suspicious_dga_domain" : null;
            case FINGERPRINT:
                for (Feed f : ind.feeds()) {
                    Feed feed = feeds.current(f);
                    if (feed.matchesFingerprint(flow.meta.tlsJa4)) {
                        return feed.name();
                    }
                }
                return null;
            case FEED:
                for (Feed f : ind.feeds()) {
                    Feed feed = feeds.current(f);
                    if (feed.matchesAddress(attributes.otherAddr)
                            || feed.matchesDomain(attributes.hostname)
                            || feed.matchesDomain(attributes.dnsHostnameText)) {
                        return feed.name();
                    }
                }
                return null;
            default:
                throw new IllegalArgumentException(ind.driver().tag() + " is a window driver");
        }
    }

    /**
     * The machine-generated name a flow asked for: a TLS or QUIC SNI or HTTP host that DPI found
     * DGA-like (the {@code suspicious_dga_domain} risk), or the query name of a DNS flow that looks
     * so by the same heuristic; null when none.
     */
    public static String generatedName(FlowState flow) {
        if (has(flow.meta.risks, Risks.SUSPICIOUS_DGA_DOMAIN)) {
            return flow.meta.tlsClientSni != null
                    ? flow.meta.tlsClientSni
                    : flow.meta.hostServerName;
        }
        String name = flow.meta.hostServerName;
        if (flow.meta.protocol == Protocols.DNS
                && name != null
                && DgaHeuristic.looksGenerated(name)) {
            return name;
        }
        return null;
    }

    private static boolean has(int[] risks, int risk) {
        if (risks != null) {
            for (int r : risks) {
                if (r == risk) {
                    return true;
                }
            }
        }
        return false;
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
