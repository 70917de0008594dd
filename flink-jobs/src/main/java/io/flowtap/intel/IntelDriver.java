package io.flowtap.intel;

import java.io.Serializable;
import java.util.Map;

/**
 * The indicator drivers this release runs, with the category and score an indicator of it gets
 * unless its configuration says otherwise: feed drivers match a flow against the indicator's data
 * feeds (its other address, its hostnames, its JA4 client fingerprint); {@code tls_findings}
 * matches what DPI found in the flow's TLS handshake.
 *
 * @param name the driver's tag, as {@code indicator_driver} names it
 */
public record IntelDriver(String name, String category, int score) implements Serializable {
    /** The drivers by name. */
    public static final Map<String, IntelDriver> ALL =
            Map.of(
                    "tor_relay",
                    new IntelDriver("tor_relay", "tor_detection", 70),
                    "vpn_server_consumer",
                    new IntelDriver("vpn_server_consumer", "vpn_detection", 70),
                    "doh_scanner",
                    new IntelDriver("doh_scanner", "encrypted_dns_detection", 30),
                    "blocklist",
                    new IntelDriver("blocklist", "threat_detection", 80),
                    "ja4_blocklist",
                    new IntelDriver("ja4_blocklist", "threat_detection", 80),
                    "tls_findings",
                    new IntelDriver("tls_findings", "suspicious_tls", 50));

    /** Whether the driver matches data feeds (the others take none). */
    public boolean usesFeeds() {
        return !name.equals("tls_findings");
    }
}
