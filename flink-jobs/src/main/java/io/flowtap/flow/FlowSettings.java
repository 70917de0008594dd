package io.flowtap.flow;

import io.flowtap.dpi.apps.ApplicationCatalog;
import io.flowtap.intel.Indicator;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Flow tracking settings, with Netify's defaults: stats every 15 s, idle TTL 30 s (non-TCP and
 * closed TCP) and 300 s (TCP).
 */
public final class FlowSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_TTL_IDLE_FLOW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TTL_IDLE_TCP_FLOW = Duration.ofSeconds(300);

    /** Netify's {@code max_detection_pkts}: packets per flow that deep inspection may look at. */
    public static final int DEFAULT_MAX_DETECTION_PACKETS = 32;

    private final long updateIntervalMs;
    private final long ttlIdleFlowMs;
    private final long ttlIdleTcpFlowMs;
    private final int maxDetectionPackets;
    private final InterfaceSettings defaultInterface;
    private final Map<String, InterfaceSettings> interfaces;
    private final ApplicationCatalog applications;
    private final boolean usage;
    private final List<Indicator> indicators;

    private FlowSettings(Builder b) {
        this.updateIntervalMs = b.updateInterval.toMillis();
        this.ttlIdleFlowMs = b.ttlIdleFlow.toMillis();
        this.ttlIdleTcpFlowMs = b.ttlIdleTcpFlow.toMillis();
        this.maxDetectionPackets = b.maxDetectionPackets;
        this.defaultInterface = b.defaultInterface;
        this.interfaces = Map.copyOf(b.interfaces);
        this.applications = b.applications;
        this.usage = b.usage;
        this.indicators = List.copyOf(b.indicators);
    }

    public static FlowSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public long updateIntervalMs() {
        return updateIntervalMs;
    }

    public long ttlIdleFlowMs() {
        return ttlIdleFlowMs;
    }

    public long ttlIdleTcpFlowMs() {
        return ttlIdleTcpFlowMs;
    }

    /** Packets per flow that deep inspection may look at before it gives up. */
    public int maxDetectionPackets() {
        return maxDetectionPackets;
    }

    /** Settings of a named interface, or the defaults for interfaces not configured. */
    public InterfaceSettings interfaceSettings(String name) {
        return interfaces.getOrDefault(name, defaultInterface);
    }

    /** The application catalog flows are named from. */
    /** The intelligence indicators evaluated at flow events (at most 64). */
    public List<Indicator> indicators() {
        return indicators;
    }

    /** Whether the tracker reports each flow's usage per update interval (for aggregators). */
    public boolean usage() {
        return usage;
    }

    public ApplicationCatalog applications() {
        return applications;
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b =
                builder()
                        .updateInterval(Duration.ofMillis(updateIntervalMs))
                        .ttlIdleFlow(Duration.ofMillis(ttlIdleFlowMs))
                        .ttlIdleTcpFlow(Duration.ofMillis(ttlIdleTcpFlowMs))
                        .maxDetectionPackets(maxDetectionPackets)
                        .defaultInterface(defaultInterface)
                        .applications(applications)
                        .usage(usage)
                        .indicators(indicators);
        interfaces.forEach(b::putInterface);
        return b;
    }

    /** Builds {@link FlowSettings}; every duration must be positive. */
    public static final class Builder {
        private Duration updateInterval = DEFAULT_UPDATE_INTERVAL;
        private Duration ttlIdleFlow = DEFAULT_TTL_IDLE_FLOW;
        private Duration ttlIdleTcpFlow = DEFAULT_TTL_IDLE_TCP_FLOW;
        private int maxDetectionPackets = DEFAULT_MAX_DETECTION_PACKETS;
        private InterfaceSettings defaultInterface = InterfaceSettings.defaults(InterfaceRole.LAN);
        private final Map<String, InterfaceSettings> interfaces = new HashMap<>();
        private ApplicationCatalog applications = ApplicationCatalog.bundled();
        private boolean usage;
        private List<Indicator> indicators = List.of();

        /** Intelligence indicators, evaluated in this order. */
        public Builder indicators(List<Indicator> list) {
            if (list.size() > 64) {
                throw new IllegalArgumentException("at most 64 indicators, not " + list.size());
            }
            this.indicators = List.copyOf(list);
            return this;
        }

        /** Report each flow's usage per update interval; off unless aggregators need it. */
        public Builder usage(boolean on) {
            this.usage = on;
            return this;
        }

        /** The application catalog; the bundled one unless set. */
        public Builder applications(ApplicationCatalog catalog) {
            this.applications = Objects.requireNonNull(catalog, "applications");
            return this;
        }

        public Builder updateInterval(Duration d) {
            this.updateInterval = positive(d, "update_interval");
            return this;
        }

        public Builder ttlIdleFlow(Duration d) {
            this.ttlIdleFlow = positive(d, "ttl_idle_flow");
            return this;
        }

        public Builder ttlIdleTcpFlow(Duration d) {
            this.ttlIdleTcpFlow = positive(d, "ttl_idle_tcp_flow");
            return this;
        }

        public Builder maxDetectionPackets(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("max_detection_pkts must be at least 1");
            }
            this.maxDetectionPackets = n;
            return this;
        }

        public Builder defaultInterface(InterfaceSettings s) {
            this.defaultInterface = Objects.requireNonNull(s);
            return this;
        }

        public Builder putInterface(String name, InterfaceSettings s) {
            interfaces.put(Objects.requireNonNull(name), Objects.requireNonNull(s));
            return this;
        }

        public FlowSettings build() {
            return new FlowSettings(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms");
            }
            return d;
        }
    }
}
