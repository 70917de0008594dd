package io.flowtap.intel;

import java.util.Map;

/**
 * The indicator drivers this release runs: each matches a flow against the indicator's data feeds
 * (its other address, its hostnames, its JA4 client fingerprint), with the category and score an
 * indicator of it gets unless its configuration says otherwise.
 *
 * @param name the driver's tag, as {@code indicator_driver} names it
 */
public record IntelDriver(String name, String category, int score) implements java.io.Serializable {
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
                    new IntelDriver("ja4_blocklist", "threat_detection", 80));
}
