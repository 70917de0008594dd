package io.flowtap.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Relates the protocol names other tools print to Netify's v5 names: netifyd v4 logs use v4 names;
 * ndpiReader uses nDPI's names, which Netify maps onto its ids.
 */
final class ProtocolNames {
    private static final Map<String, String> V4_TO_V5 = new HashMap<>();
    private static final Map<String, String> NDPI_TO_V5 = new HashMap<>();

    /** TLS that Netify names after its port. */
    private static final Set<String> TLS_FAMILY =
            Set.of(
                    "TLS", "HTTP/S", "DoT", "IMAP/S", "POP3/S", "SMTP/S", "FTP/S", "SIP/S",
                    "MQTT/S", "NNTP/S");

    static {
        try (InputStream in = ProtocolNames.class.getResourceAsStream("netify-protocol-names.tsv");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String v5 = f[1];
                if (!f[2].isEmpty()) {
                    V4_TO_V5.put(f[2], v5);
                }
                for (String n : f[3].split(",")) {
                    if (n.startsWith("NDPI_PROTOCOL_")) {
                        NDPI_TO_V5.putIfAbsent(n.substring("NDPI_PROTOCOL_".length()), v5);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProtocolNames() {}

    static String v5OfV4(String v4) {
        return V4_TO_V5.getOrDefault(v4, v4);
    }

    /** Netify's v5 name for an nDPI protocol name, or the name itself when unmapped. */
    static String v5OfNdpi(String ndpi) {
        String key = ndpi.toUpperCase(Locale.ROOT).replace("-", "").replace('/', '_');
        String v5 = NDPI_TO_V5.get(key);
        if (v5 == null) {
            v5 = NDPI_TO_V5.get("IP_" + key); // ICMP, ICMPV6, IGMP...
        }
        return v5 != null ? v5 : ndpi;
    }

    /** Whether a reported name agrees with an expected one, TLS naming by port included. */
    static boolean agree(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        if (expected.equalsIgnoreCase(actual)) {
            return true;
        }
        return TLS_FAMILY.contains(expected) && TLS_FAMILY.contains(actual);
    }
}
