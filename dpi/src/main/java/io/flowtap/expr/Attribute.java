package io.flowtap.expr;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The flow attributes expressions may name, each with the kind of value it compares with. */
enum Attribute {
    APPLICATION(Kind.APPLICATION, "application", "app"),
    APPLICATION_ID(Kind.INTEGER, "app_id", "application_id"),
    APPLICATION_CATEGORY(Kind.APPLICATION_CATEGORY, "application_category", "category"),
    PROTOCOL(Kind.PROTOCOL, "protocol", "proto"),
    PROTOCOL_ID(Kind.INTEGER, "proto_id", "protocol_id"),
    PROTOCOL_CATEGORY(Kind.PROTOCOL_CATEGORY, "protocol_category"),
    DETECTED_HOSTNAME(Kind.STRING, "detected_hostname"),
    DNS_HOSTNAME(Kind.STRING, "dns_hostname"),
    LOCAL_IP(Kind.ADDRESS, "local_ip"),
    OTHER_IP(Kind.ADDRESS, "other_ip"),
    LOCAL_MAC(Kind.MAC, "local_mac"),
    OTHER_MAC(Kind.MAC, "other_mac"),
    LOCAL_PORT(Kind.INTEGER, "local_port"),
    OTHER_PORT(Kind.INTEGER, "other_port"),
    IP_PROTOCOL(Kind.INTEGER, "ip_protocol"),
    OTHER_TYPE(Kind.OTHER_TYPE, "other_type"),
    ORIGIN(Kind.ORIGIN, "origin"),
    VLAN_ID(Kind.INTEGER, "vlan_id"),
    TLS_VERSION(Kind.INTEGER, "tls_version"),
    IP_NAT(Kind.FLAG, "ip_nat"),
    DETECTION_COMPLETE(Kind.FLAG, "detection_complete");

    /** What an attribute holds, which decides the values and operators it takes. */
    enum Kind {
        INTEGER,
        STRING,
        ADDRESS,
        MAC,
        FLAG,
        OTHER_TYPE,
        ORIGIN,
        /** An id (number) or a tag (string). */
        APPLICATION,
        APPLICATION_CATEGORY,
        PROTOCOL,
        PROTOCOL_CATEGORY
    }

    private static final Map<String, Attribute> BY_NAME = new HashMap<>();

    static {
        for (Attribute a : values()) {
            for (String n : a.names) {
                BY_NAME.put(n, a);
            }
        }
    }

    final Kind kind;
    private final String[] names;

    Attribute(Kind kind, String... names) {
        this.kind = kind;
        this.names = names;
    }

    /** The attribute of a name (case-insensitive), or null. */
    static Attribute named(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    String displayName() {
        return names[0];
    }

    long number(FlowAttributes f) {
        switch (this) {
            case APPLICATION:
            case APPLICATION_ID:
                return f.applicationId();
            case APPLICATION_CATEGORY:
                return f.applicationCategoryId();
            case PROTOCOL:
            case PROTOCOL_ID:
                return f.protocolId();
            case PROTOCOL_CATEGORY:
                return f.protocolCategoryId();
            case LOCAL_PORT:
                return f.localPort();
            case OTHER_PORT:
                return f.otherPort();
            case IP_PROTOCOL:
                return f.ipProtocol();
            case VLAN_ID:
                return f.vlanId();
            case TLS_VERSION:
                return f.tlsVersion();
            default:
                throw new IllegalStateException(this + " is not a number");
        }
    }

    String text(FlowAttributes f) {
        switch (this) {
            case APPLICATION:
                return f.applicationTag();
            case APPLICATION_CATEGORY:
                return f.applicationCategoryTag();
            case PROTOCOL:
                return f.protocolName();
            case PROTOCOL_CATEGORY:
                return f.protocolCategoryTag();
            case DETECTED_HOSTNAME:
                return f.detectedHostname();
            case DNS_HOSTNAME:
                return f.dnsHostname();
            case OTHER_TYPE:
                return f.otherType();
            case ORIGIN:
                return f.origin();
            default:
                throw new IllegalStateException(this + " is not a string");
        }
    }

    byte[] bytes(FlowAttributes f) {
        switch (this) {
            case LOCAL_IP:
                return f.localIp();
            case OTHER_IP:
                return f.otherIp();
            case LOCAL_MAC:
                return f.localMac();
            case OTHER_MAC:
                return f.otherMac();
            default:
                throw new IllegalStateException(this + " is not an address");
        }
    }

    boolean flag(FlowAttributes f) {
        switch (this) {
            case IP_NAT:
                return f.ipNat();
            case DETECTION_COMPLETE:
                return f.detectionComplete();
            default:
                throw new IllegalStateException(this + " is not a flag");
        }
    }
}
