package io.flowtap.capture.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a capture agent needs to run; built with {@link #builder()}, checked by {@link
 * Builder#build()}.
 */
public final class AgentSettings {
    public static final String DEFAULT_PACKET_TOPIC = "flowtap.packets";
    public static final String DEFAULT_STATUS_TOPIC = "flowtap.agent";
    public static final String DEFAULT_REPLAY_INTERFACE = "pcap";

    public final String agentId;
    public final String bootstrapServers;
    public final String packetTopic;
    public final String statusTopic;

    /** Extra producer properties (security, tuning), passed through as given. */
    public final Map<String, String> producerProperties;

    /** Live interfaces to capture on; empty when replaying. */
    public final List<String> interfaces;

    /** A capture file to replay instead of live capture, or null. */
    public final java.nio.file.Path replayFile;

    /** Replay pace: 1 recorded, 2 twice as fast, 0 as fast as possible. */
    public final double replaySpeed;

    /**
     * The interface name of replayed frames whose file names none (pcap files; pcapng files name
     * their interfaces). The default matches the backfill's, so both give the same flow digests.
     */
    public final String replayInterface;

    /** Passes over the replayed file, each continuing in time after the previous one. */
    public final int replayLoops;

    /** Whether replayed timestamps are moved to the present, as if captured live. */
    public final boolean replayRebase;

    public final int snapLength;
    public final boolean promiscuous;
    public final String bpfFilter;

    /** {@code lan} or {@code wan}. */
    public final String interfaceRole;

    /** Local networks (CIDR) that decide a flow's local end; empty for the role's defaults. */
    public final List<String> localNetworks;

    /** How many packets of each flow carry their payload (Netify's max_detection_pkts). */
    public final int payloadPackets;

    /** Flows the agent remembers for digests and payload budgets. */
    public final int flowTableSize;

    /** Events waiting for Kafka; beyond this they are dropped and counted. */
    public final int queueCapacity;

    public final Duration updateInterval;

    /**
     * Packets of a flow joined into one event at most (1: an event per packet), and for how long
     * after the event's first packet (capture time; a live capture also lets events go by the clock
     * while its link is quiet).
     */
    public final int coalescePackets;

    public final Duration coalesceDelay;

    private AgentSettings(Builder b) {
        agentId = b.agentId;
        bootstrapServers = b.bootstrapServers;
        packetTopic = b.packetTopic;
        statusTopic = b.statusTopic;
        producerProperties = Map.copyOf(b.producerProperties);
        interfaces = List.copyOf(b.interfaces);
        replayFile = b.replayFile;
        replaySpeed = b.replaySpeed;
        replayInterface = b.replayInterface;
        replayLoops = b.replayLoops;
        replayRebase = b.replayRebase;
        snapLength = b.snapLength;
        promiscuous = b.promiscuous;
        bpfFilter = b.bpfFilter;
        interfaceRole = b.interfaceRole;
        localNetworks = List.copyOf(b.localNetworks);
        payloadPackets = b.payloadPackets;
        flowTableSize = b.flowTableSize;
        queueCapacity = b.queueCapacity;
        updateInterval = b.updateInterval;
        coalescePackets = b.coalescePackets;
        coalesceDelay = b.coalesceDelay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link AgentSettings}. */
    public static final class Builder {
        private String agentId;
        private String bootstrapServers;
        private String packetTopic = DEFAULT_PACKET_TOPIC;
        private String statusTopic = DEFAULT_STATUS_TOPIC;
        private final Map<String, String> producerProperties = new LinkedHashMap<>();
        private final List<String> interfaces = new ArrayList<>();
        private java.nio.file.Path replayFile;
        private double replaySpeed = 1;
        private String replayInterface = DEFAULT_REPLAY_INTERFACE;
        private int replayLoops = 1;
        private boolean replayRebase;
        private int snapLength = 65535;
        private boolean promiscuous = true;
        private String bpfFilter;
        private String interfaceRole = "lan";
        private final List<String> localNetworks = new ArrayList<>();
        private int payloadPackets = 32;
        private int flowTableSize = 65_536;
        private int queueCapacity = 65_536;
        private Duration updateInterval = Duration.ofSeconds(15);
        private int coalescePackets = 64;
        private Duration coalesceDelay = Duration.ofMillis(50);

        public Builder agentId(String id) {
            this.agentId = id;
            return this;
        }

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder packetTopic(String topic) {
            this.packetTopic = topic;
            return this;
        }

        public Builder statusTopic(String topic) {
            this.statusTopic = topic;
            return this;
        }

        public Builder producerProperty(String key, String value) {
            producerProperties.put(key, value);
            return this;
        }

        public Builder captureInterface(String name) {
            interfaces.add(name);
            return this;
        }

        public Builder replay(java.nio.file.Path file, double speed) {
            this.replayFile = file;
            this.replaySpeed = speed;
            return this;
        }

        public Builder replayInterface(String name) {
            this.replayInterface = name;
            return this;
        }

        public Builder replayLoops(int passes) {
            this.replayLoops = passes;
            return this;
        }

        public Builder replayRebase(boolean on) {
            this.replayRebase = on;
            return this;
        }

        public Builder snapLength(int bytes) {
            this.snapLength = bytes;
            return this;
        }

        public Builder promiscuous(boolean on) {
            this.promiscuous = on;
            return this;
        }

        public Builder bpfFilter(String filter) {
            this.bpfFilter = filter;
            return this;
        }

        public Builder interfaceRole(String role) {
            this.interfaceRole = role;
            return this;
        }

        public Builder localNetwork(String cidr) {
            localNetworks.add(cidr);
            return this;
        }

        public Builder payloadPackets(int n) {
            this.payloadPackets = n;
            return this;
        }

        public Builder flowTableSize(int n) {
            this.flowTableSize = n;
            return this;
        }

        public Builder queueCapacity(int n) {
            this.queueCapacity = n;
            return this;
        }

        /** Packets of a flow joined into one event at most (1: off), within {@code delay}. */
        public Builder coalesce(int packets, Duration delay) {
            this.coalescePackets = packets;
            this.coalesceDelay = delay;
            return this;
        }

        public Builder updateInterval(Duration d) {
            this.updateInterval = d;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first setting that is missing or wrong
         */
        public AgentSettings build() {
            require(agentId != null && !agentId.isBlank(), "an agent id is required");
            require(
                    bootstrapServers != null && !bootstrapServers.isBlank(),
                    "Kafka bootstrap servers are required");
            require(
                    interfaces.isEmpty() != (replayFile == null),
                    "capture on interfaces or replay a file, not both and not neither");
            require(replaySpeed >= 0, "the replay speed must not be negative");
            require(replayLoops >= 1, "a replay makes at least one pass");
            require(
                    replayInterface != null && !replayInterface.isBlank(),
                    "the replay interface name must not be empty");
            require(snapLength >= 64 && snapLength <= 262_144, "snap length must be 64..262144");
            require(
                    interfaceRole.equals("lan") || interfaceRole.equals("wan"),
                    "interface role must be 'lan' or 'wan', not '" + interfaceRole + "'");
            require(payloadPackets >= 0, "payload packets must not be negative");
            require(flowTableSize > 0, "the flow table size must be positive");
            require(queueCapacity > 0, "the queue capacity must be positive");
            require(coalescePackets >= 1, "coalescing joins at least one packet per event");
            require(
                    coalesceDelay != null && !coalesceDelay.isNegative(),
                    "the coalescing delay must not be negative");
            require(
                    updateInterval != null
                            && !updateInterval.isNegative()
                            && !updateInterval.isZero(),
                    "the update interval must be positive");
            Objects.requireNonNull(packetTopic, "packet topic");
            Objects.requireNonNull(statusTopic, "status topic");
            return new AgentSettings(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
