package io.flowtap.aggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Netify's aggregator payload types: which flows each takes, its dimensions (in nesting order) and
 * its metrics. Bytes and packets are what the flows carried inside the interval; upload is what the
 * local end sent, download what it received.
 */
public enum AggregatorType {
    /** Per local endpoint and application, Internet traffic only. */
    ONE(1, List.of("local_mac", "local_ip", "application_id", "protocol_id"), List.of()),
    /** Type 1 plus the other IP and IP protocol, and a flow count. */
    TWO(
            2,
            List.of("local_mac", "local_ip", "other_ip", "application_id", "protocol_id"),
            List.of("ip_protocol")),
    /** One condensed row per flow. */
    THREE(
            3,
            List.of("digest"),
            List.of(
                    "detected_application",
                    "detected_application_name",
                    "detected_protocol",
                    "detected_protocol_name",
                    "interface",
                    "internal",
                    "ip_version",
                    "local_ip",
                    "local_mac",
                    "local_origin",
                    "other_ip",
                    "other_mac",
                    "other_port",
                    "other_type")),
    /** Destination rollups: application and protocol ids, the other end, VLAN. Flat only. */
    FOUR(
            4,
            List.of(
                    "application_id",
                    "protocol_id",
                    "ip_protocol",
                    "ip_version",
                    "other_ip",
                    "other_port",
                    "vlan_id"),
            List.of());

    /** What the nested layout keys rows by, outermost first. */
    final List<String> path;

    /** Dimensions kept in a nested layout's leaves, beside the metrics. */
    final List<String> leafDimensions;

    private final int number;

    AggregatorType(int number, List<String> path, List<String> leafDimensions) {
        this.number = number;
        this.path = path;
        this.leafDimensions = leafDimensions;
    }

    public int number() {
        return number;
    }

    public static AggregatorType of(int number) {
        for (AggregatorType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new IllegalArgumentException("aggregator types are 1 to 4, not " + number);
    }

    public boolean nestable() {
        return this != FOUR;
    }

    /** NATed flows never; Type 1 only flows whose other end is on the Internet. */
    public boolean admits(FlowUsage u) {
        if (u.nat) {
            return false;
        }
        return this != ONE || "remote".equals(u.otherTypeName);
    }

    /**
     * The row's dimension values (path then leaf dimensions), without local ones in privacy mode.
     */
    public Map<String, Object> dimensions(FlowUsage u, boolean privacy) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (String name : path) {
            put(d, name, u, privacy);
        }
        for (String name : leafDimensions) {
            put(d, name, u, privacy);
        }
        return d;
    }

    private void put(Map<String, Object> d, String name, FlowUsage u, boolean privacy) {
        if (privacy && (name.equals("local_ip") || name.equals("local_mac"))) {
            return;
        }
        d.put(name, value(name, u));
    }

    private Object value(String name, FlowUsage u) {
        switch (name) {
            case "local_mac":
                return u.localMac;
            case "local_ip":
                return u.localIp;
            case "other_ip":
                return u.otherIp;
            case "other_mac":
                return u.otherMac;
            case "other_port":
                return u.otherPortNumber;
            case "other_type":
                return u.otherTypeName;
            case "application_id":
                // Types 1 and 2 name the application "<id>.<tag>"; Type 4 gives the id.
                return this == FOUR ? (Object) u.application : u.applicationName;
            case "protocol_id":
                return u.protocol;
            case "ip_protocol":
                return u.ipProtocol;
            case "ip_version":
                return u.ipVersion;
            case "vlan_id":
                return u.vlanId;
            case "digest":
                return u.digest;
            case "detected_application":
                return u.application;
            case "detected_application_name":
                return u.applicationName;
            case "detected_protocol":
                return u.protocol;
            case "detected_protocol_name":
                return u.protocolNameText;
            case "interface":
                return u.interfaceName;
            case "internal":
                return u.internal;
            case "local_origin":
                return u.localOrigin;
            default:
                throw new IllegalStateException("no dimension " + name);
        }
    }

    /** The metrics of a row that sums {@code u} over {@code flows} flows. */
    public Map<String, Object> metrics(FlowUsage u, int flows) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (this) {
            case TWO:
                m.put("local_bytes", u.localBytes);
                m.put("other_bytes", u.otherBytes);
                m.put("packets", u.packets());
                m.put("flow_count", flows);
                break;
            case THREE:
                m.put("local_bytes", u.localBytes);
                m.put("other_bytes", u.otherBytes);
                m.put("local_packets", u.localPackets);
                m.put("other_packets", u.otherPackets);
                break;
            default:
                m.put("upload", u.localBytes);
                m.put("download", u.otherBytes);
                m.put("packets", u.packets());
                break;
        }
        return m;
    }
}
