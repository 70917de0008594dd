package io.flowtap.intel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The indicator drivers Flowtap runs, with the category and score an indicator of a driver gets
 * unless its configuration says otherwise, and the criteria of its own (beyond the four every
 * indicator has) with their defaults.
 *
 * <p>Flow drivers decide on one flow at one of its events, inside the flow tracker. Window drivers
 * look at many flows: the tracker sends them an observation of each flow that meets the indicator's
 * criteria, and an operator of their own, keyed by what they watch (a local address, a MAC
 * address), decides in event time.
 */
public enum IntelDriver {
    TOR_RELAY("tor_relay", "tor_detection", 70, Match.FEED),
    VPN_SERVER_CONSUMER("vpn_server_consumer", "vpn_detection", 70, Match.FEED),
    DOH_SCANNER("doh_scanner", "encrypted_dns_detection", 30, Match.FEED),
    BLOCKLIST("blocklist", "threat_detection", 80, Match.FEED),
    JA4_BLOCKLIST("ja4_blocklist", "threat_detection", 80, Match.FINGERPRINT),
    TLS_FINDINGS("tls_findings", "suspicious_tls", 50, Match.TLS),
    DGA("dga", "suspicious_dns", 60, Match.DGA),
    PORT_SCAN(
            "port_scan",
            "scan_detection",
            60,
            Match.PORT_SCAN,
            "window",
            300,
            "min_ports",
            15,
            "failed_only",
            true),
    HOST_SCAN(
            "host_scan",
            "scan_detection",
            60,
            Match.HOST_SCAN,
            "window",
            300,
            "min_hosts",
            25,
            "failed_only",
            true),
    DNS_TUNNEL(
            "dns_tunnel",
            "suspicious_dns",
            70,
            Match.DNS_TUNNEL,
            "window",
            60,
            "min_names",
            30,
            "min_length",
            24),
    NEW_DEVICE("new_device", "device_discovery", 20, Match.NEW_DEVICE),
    UPLOAD_ANOMALY(
            "upload_anomaly",
            "data_exfiltration",
            50,
            Match.UPLOAD_ANOMALY,
            "window",
            300,
            "history",
            12,
            "factor",
            10,
            "min_upload",
            10_000_000);

    /** What a driver looks at. */
    public enum Match {
        /** The flow's other address, hostname or DNS hint in a feed. */
        FEED,
        /** The flow's JA4 client fingerprint in a feed. */
        FINGERPRINT,
        /** TLS risks DPI found in the flow. */
        TLS,
        /** A machine-generated name asked for in the flow. */
        DGA,
        PORT_SCAN,
        HOST_SCAN,
        DNS_TUNNEL,
        NEW_DEVICE,
        UPLOAD_ANOMALY
    }

    private final String tag;
    private final String category;
    private final int score;
    private final Match match;
    private final Map<String, Object> criteria;

    IntelDriver(String tag, String category, int score, Match match, Object... criteria) {
        this.tag = tag;
        this.category = category;
        this.score = score;
        this.match = match;
        Map<String, Object> c = new LinkedHashMap<>();
        for (int i = 0; i < criteria.length; i += 2) {
            Object v = criteria[i + 1];
            c.put((String) criteria[i], v instanceof Integer n ? Long.valueOf(n) : v);
        }
        this.criteria = java.util.Collections.unmodifiableMap(c);
    }

    /** The driver's tag, as {@code indicator_driver} names it. */
    public String tag() {
        return tag;
    }

    public String category() {
        return category;
    }

    public int score() {
        return score;
    }

    public Match match() {
        return match;
    }

    /** The driver's own criteria and their defaults (numbers as Long, flags as Boolean). */
    public Map<String, Object> criteria() {
        return criteria;
    }

    /** Whether the driver decides on one flow at a time, in the flow tracker. */
    public boolean perFlow() {
        return match == Match.FEED
                || match == Match.FINGERPRINT
                || match == Match.TLS
                || match == Match.DGA;
    }

    /** Whether the driver needs data feeds; {@link #NEW_DEVICE} takes them optionally. */
    public boolean requiresFeeds() {
        return match == Match.FEED || match == Match.FINGERPRINT;
    }

    /** Whether the driver can use data feeds at all. */
    public boolean takesFeeds() {
        return requiresFeeds() || match == Match.NEW_DEVICE;
    }

    /** The event a window driver observes flows at (and names in its records). */
    public IntelEvent observedAt() {
        switch (match) {
            case PORT_SCAN:
            case HOST_SCAN:
            case NEW_DEVICE:
                return IntelEvent.FLOW_NEW;
            case DNS_TUNNEL:
                return IntelEvent.DPI_COMPLETE;
            case UPLOAD_ANOMALY:
                return IntelEvent.FLOW_STATS;
            default:
                throw new IllegalStateException(tag + " is a flow driver");
        }
    }

    /** The drivers by tag, in tag order. */
    public static Map<String, IntelDriver> byTag() {
        Map<String, IntelDriver> out = new TreeMap<>();
        for (IntelDriver d : values()) {
            out.put(d.tag, d);
        }
        return out;
    }
}
