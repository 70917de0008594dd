package io.flowtap.conformance;

import io.flowtap.dpi.Risks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares Flowtap's flows with other tools' results on the same captures, capture by capture:
 * protocol and hostname against netifyd's logs and ndpiReader's results, risks and JA4 against
 * ndpiReader, JA4 and SNI against Suricata.
 */
public final class ConformanceReport {
    /** Protocols with a Flowtap dissector or a definitive classification, by Netify v5 name. */
    static final Set<String> SUPPORTED =
            Set.of(
                    "DNS",
                    "MDNS",
                    "LLMNR",
                    "HTTP",
                    "HTTP/Connect",
                    "TLS",
                    "HTTP/S",
                    "DoT",
                    "IMAP/S",
                    "POP3/S",
                    "SMTP/S",
                    "FTP/S",
                    "SIP/S",
                    "MQTT/S",
                    "NNTP/S",
                    "QUIC",
                    "SSH",
                    "ICMP",
                    "ICMPv6",
                    "IGMP",
                    "GRE",
                    "IPSEC",
                    "OSPF",
                    "SCTP",
                    "DHCP",
                    "SSDP",
                    "STUN",
                    "NTP",
                    "WireGuard",
                    "OpenVPN",
                    "BitTorrent");

    /** One comparison of one field of one flow. */
    public record Check(
            String capture,
            String source,
            String flow,
            String field,
            String expected,
            String actual) {
        public boolean agrees() {
            if (expected == null) {
                return true;
            }
            if (field.equals("protocol")) {
                return ProtocolNames.agree(expected, actual);
            }
            return expected.equalsIgnoreCase(actual == null ? "" : actual);
        }
    }

    private final List<Check> checks = new ArrayList<>();
    private int skipped;

    static String endpoints(Expected e) {
        return e.endA().compareTo(e.endB()) <= 0
                ? e.endA() + " " + e.endB()
                : e.endB() + " " + e.endA();
    }

    /** Expected flows not compared because the capture does not contain them. */
    public int skipped() {
        return skipped;
    }

    public List<Check> checks() {
        return checks;
    }

    /** Reads Flowtap's records: the last full-body record of each flow, by capture. */
    static Map<String, Actual> actuals(List<JsonNode> records) {
        Map<String, Actual> out = new HashMap<>();
        for (JsonNode r : records) {
            String type = r.get("type").asText();
            if (!type.equals("flow") && !type.startsWith("flow_dpi")) {
                continue;
            }
            JsonNode f = r.get("flow");
            int proto = f.get("ip_protocol").asInt();
            Actual a =
                    new Actual(
                            // A file's further interfaces are named "<file>.<index>".
                            r.get("interface").asText().replaceAll("(\\.pcap(ng)?)\\.\\d+$", "$1"),
                            proto == 6 ? "tcp" : proto == 17 ? "udp" : Integer.toString(proto),
                            f.get("local_ip").asText() + "|" + f.get("local_port").asInt(),
                            f.get("other_ip").asText() + "|" + f.get("other_port").asInt(),
                            f.get("detected_protocol_name").asText(),
                            f.get("host_server_name").asText(""),
                            f.path("ssl").path("client_sni").asText(null),
                            f.path("ssl").path("client_ja4").asText(null),
                            risks(f.path("risks").path("risks")));
            out.put(a.capture() + " " + a.key(), a);
            out.put(a.capture() + " " + a.keyWithoutTransport(), a);
        }
        return out;
    }

    /** The evaluated risk ids of a flow's {@code risks} array, sorted and comma-separated. */
    private static String risks(JsonNode ids) {
        TreeSet<Integer> out = new TreeSet<>();
        for (JsonNode id : ids) {
            if (Risks.evaluated().contains(id.asInt())) {
                out.add(id.asInt());
            }
        }
        return out.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    void compare(List<Expected> expected, Map<String, Actual> actuals) {
        compare(expected, actuals, null);
    }

    /**
     * @param present flow keys known to be in the capture (without transport), or null; lines of a
     *     tool's results for flows not in it come from another version of the capture
     */
    void compare(List<Expected> expected, Map<String, Actual> actuals, Set<String> present) {
        for (Expected e : expected) {
            if (present != null && !present.contains(endpoints(e))) {
                skipped++;
                continue;
            }
            Actual a = actuals.get(e.capture() + " " + e.key());
            String flow = e.key();
            String expectedProtocol =
                    e.source().equals("nDPI") && e.protocol() != null
                            ? ProtocolNames.v5OfNdpi(e.protocol())
                            : e.protocol();
            if (expectedProtocol != null && SUPPORTED.contains(expectedProtocol)) {
                checks.add(
                        new Check(
                                e.capture(),
                                e.source(),
                                flow,
                                "protocol",
                                expectedProtocol,
                                a == null ? null : a.protocol()));
                if (e.risks() != null
                        && a != null
                        && !(e.risks().isEmpty() && a.risks().isEmpty())) {
                    checks.add(
                            new Check(
                                    e.capture(), e.source(), flow, "risks", e.risks(), a.risks()));
                }
                String host = hostname(e, expectedProtocol);
                if (host != null) {
                    checks.add(
                            new Check(
                                    e.capture(),
                                    e.source(),
                                    flow,
                                    "hostname",
                                    host,
                                    a == null ? null : a.hostname()));
                }
            }
            if (e.ja4() != null && !e.ja4().isEmpty()) {
                // ndpiReader's JA4 "a" part deviates from the published definition (ALPN
                // characters, d/i without SNI); its cipher and extension hashes do not.
                checks.add(
                        new Check(
                                e.capture(),
                                e.source(),
                                flow,
                                "ja4 hashes",
                                hashes(e.ja4()),
                                a == null ? null : hashes(a.ja4())));
            }
        }
    }

    private static String hashes(String ja4) {
        if (ja4 == null) {
            return null;
        }
        int us = ja4.indexOf('_');
        return us < 0 ? ja4 : ja4.substring(us + 1);
    }

    /** The hostname a tool reports, where it is one (nDPI prints SSH banners in that column). */
    private static String hostname(Expected e, String protocol) {
        String h = e.hostname();
        if (h == null || h.isEmpty() || protocol.equals("SSH")) {
            return null;
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** Suricata-verify expectations: a value some flow of the capture must carry. */
    void compareAny(String capture, String field, String expected, Map<String, Actual> actuals) {
        String found = null;
        for (Actual a : actuals.values()) {
            if (!a.capture().equals(capture)) {
                continue;
            }
            String v = field.endsWith("ja4") ? a.ja4() : field.endsWith("sni") ? a.sni() : null;
            if (expected.equalsIgnoreCase(v)) {
                found = v;
                break;
            }
        }
        checks.add(new Check(capture, "Suricata", "any flow", field, expected, found));
    }

    /** The report as Markdown: totals, a table by capture, then every disagreement. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        Map<String, int[]> byField = new TreeMap<>();
        Map<String, Map<String, int[]>> byCapture = new TreeMap<>();
        for (Check c : checks) {
            int[] f = byField.computeIfAbsent(c.source() + " " + c.field(), k -> new int[2]);
            f[0]++;
            f[1] += c.agrees() ? 1 : 0;
            int[] t =
                    byCapture
                            .computeIfAbsent(c.capture(), k -> new TreeMap<>())
                            .computeIfAbsent(c.source() + " " + c.field(), k -> new int[2]);
            t[0]++;
            t[1] += c.agrees() ? 1 : 0;
        }
        sb.append("| source | field | checked | agree | share |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, int[]> e : byField.entrySet()) {
            String[] k = e.getKey().split(" ", 2);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %d | %.1f%% |%n",
                            k[0],
                            k[1],
                            e.getValue()[0],
                            e.getValue()[1],
                            100.0 * e.getValue()[1] / e.getValue()[0]));
        }
        sb.append("\n### By capture\n\n");
        sb.append("| capture | checks (agree/checked) |\n|---|---|\n");
        for (Map.Entry<String, Map<String, int[]>> e : byCapture.entrySet()) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, int[]> f : e.getValue().entrySet()) {
                parts.add(f.getKey() + " " + f.getValue()[1] + "/" + f.getValue()[0]);
            }
            sb.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(String.join(", ", parts))
                    .append(" |\n");
        }
        sb.append("\n### Disagreements\n\n");
        sb.append(
                "| capture | source | flow | field | expected | Flowtap |\n"
                        + "|---|---|---|---|---|---|\n");
        for (Check c : checks) {
            if (!c.agrees()) {
                sb.append(
                        String.format(
                                "| %s | %s | %s | %s | %s | %s |%n",
                                c.capture(),
                                c.source(),
                                c.flow().replace("|", ":"),
                                c.field(),
                                c.expected(),
                                c.actual() == null ? "(no flow / none)" : c.actual()));
            }
        }
        return sb.toString();
    }

    /** Agreement among the checks whose field name contains {@code field}. */
    public double agreement(String field) {
        int n = 0;
        int ok = 0;
        for (Check c : checks) {
            if (c.field().contains(field)) {
                n++;
                ok += c.agrees() ? 1 : 0;
            }
        }
        return n == 0 ? 1.0 : (double) ok / n;
    }
}
