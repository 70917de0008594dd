package io.flowtap.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the pipeline's DPI fields with Suricata's reading of the same capture (a {@code
 * *.suricata.tsv} file written by testdata/scripts/suricata-metadata.py), flow by flow.
 */
public final class Dissections {
    /** One field of one flow as Suricata saw it, and what the pipeline says. */
    public record Check(String flow, String field, String expected, String actual) {
        public boolean agrees() {
            return expected.equals(actual);
        }
    }

    private Dissections() {}

    /**
     * Every Suricata field of the file, flow by flow, paired with the pipeline's value (null if
     * missing). Where Suricata lists several values of one field for one flow (one per DNS query or
     * HTTP request of the flow), the record, which names the flow's first, must carry one of them.
     * A file whose first column is {@code capture} holds several captures, each read as its own
     * interface (named after the file, as the conformance run does).
     */
    public static List<Check> compare(Path suricataTsv, TelemetryOutput output) throws IOException {
        List<String> lines = Files.readAllLines(suricataTsv);
        boolean byCapture = lines.get(0).startsWith("capture\t");
        Map<String, JsonNode> finalBodies = finalBodies(output, byCapture);
        Map<List<String>, Set<String>> expected = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            String capture = "";
            if (byCapture) {
                capture = c[0] + " ";
                c = Arrays.copyOfRange(c, 1, c.length);
            }
            String key = capture + c[0] + " " + c[1] + " " + c[2] + " " + c[3] + " " + c[4];
            expected.computeIfAbsent(List.of(key, c[5]), k -> new TreeSet<>())
                    .add(normalise(c[5], c[6]));
        }
        List<Check> checks = new ArrayList<>();
        for (Map.Entry<List<String>, Set<String>> e : expected.entrySet()) {
            String key = e.getKey().get(0);
            String field = e.getKey().get(1);
            JsonNode body = finalBodies.get(key);
            if (body == null) {
                // The tool took the other end for the client (a flow whose first packet is a
                // response, say): the endpoints still name the flow.
                body = finalBodies.get(reversed(key));
            }
            String actual = actual(body, field);
            String wanted =
                    actual != null && e.getValue().contains(actual)
                            ? actual
                            : e.getValue().size() == 1
                                    ? e.getValue().iterator().next()
                                    : "one of " + e.getValue();
            checks.add(new Check(key, field, wanted, actual));
        }
        return checks;
    }

    /**
     * The flow body of each flow's last flow, flow_dpi_update or flow_dpi_complete record, by
     * {@code "<proto> <client ip> <client port> <server ip> <server port>"}.
     */
    public static Map<String, JsonNode> finalBodies(TelemetryOutput output) {
        return finalBodies(output, false);
    }

    /** As above; with {@code byCapture}, keys start with the capture the interface names. */
    private static Map<String, JsonNode> finalBodies(TelemetryOutput output, boolean byCapture) {
        Map<String, JsonNode> finalBodies = new HashMap<>();
        for (JsonNode r : output.all()) {
            String type = r.get("type").asText();
            if (type.equals("flow") || type.startsWith("flow_dpi")) {
                JsonNode f = r.get("flow");
                String client = f.get("local_origin").asBoolean() ? "local" : "other";
                String server = client.equals("local") ? "other" : "local";
                // A file's further interfaces are named "<file>.<index>".
                String capture =
                        byCapture
                                ? r.get("interface")
                                                .asText()
                                                .replaceAll("(\\.pcap(ng)?)\\.\\d+$", "$1")
                                        + " "
                                : "";
                String key =
                        capture
                                + proto(f.get("ip_protocol").asInt())
                                + " "
                                + f.get(client + "_ip").asText()
                                + " "
                                + f.get(client + "_port").asInt()
                                + " "
                                + f.get(server + "_ip").asText()
                                + " "
                                + f.get(server + "_port").asInt();
                finalBodies.put(key, f); // later records of a flow carry more
            }
        }
        return finalBodies;
    }

    /** "[capture] proto a aport b bport" with the two ends swapped. */
    private static String reversed(String key) {
        String[] k = key.split(" ");
        int n = k.length;
        k[n - 4] = k[n - 2] + " " + k[n - 1] + " " + k[n - 4] + " " + k[n - 3];
        return String.join(" ", Arrays.copyOf(k, n - 3));
    }

    private static String proto(int p) {
        return p == 6 ? "tcp" : p == 17 ? "udp" : Integer.toString(p);
    }

    /** Suricata's spelling to Netify's. */
    private static String normalise(String field, String v) {
        switch (field) {
            case "tls.version":
                switch (v) {
                    case "TLS 1.3":
                        return "0x0304";
                    case "TLS 1.2":
                        return "0x0303";
                    case "TLS 1.1":
                        return "0x0302";
                    case "TLS 1.0":
                    case "TLSv1":
                        return "0x0301";
                    case "SSLv3":
                        return "0x0300";
                    default:
                        return v;
                }
            case "tls.fingerprint":
                return v.replace(":", "").toLowerCase(java.util.Locale.ROOT);
            default:
                return v;
        }
    }

    private static String actual(JsonNode f, String field) {
        if (f == null) {
            return null;
        }
        JsonNode ssl = f.path("ssl");
        switch (field) {
            case "tls.sni":
                return text(ssl, "client_sni");
            case "quic.sni":
                // Google QUIC's CHLO is no TLS: its SNI is only the flow's host name.
                return ssl.has("client_sni")
                        ? text(ssl, "client_sni")
                        : text(f, "host_server_name");
            case "tls.ja4":
            case "quic.ja4":
                return text(ssl, "client_ja4");
            case "tls.version":
                return text(ssl, "version");
            case "tls.subject":
                return text(ssl, "subject_dn");
            case "tls.issuerdn":
                return text(ssl, "issuer_dn");
            case "tls.fingerprint":
                return text(ssl, "fingerprint");
            case "http.hostname":
                return text(f, "host_server_name");
            case "http.url":
                return text(f.path("http"), "url");
            case "http.user_agent":
                return text(f.path("http"), "user_agent");
            case "dns.query":
                return text(f, "host_server_name");
            case "ssh.client":
            case "ssh.server":
                {
                    // Suricata keeps the software version without the comments after it.
                    String banner = text(f.path("ssh"), field.substring(4));
                    return banner == null ? null : banner.split(" ", 2)[0];
                }
            default:
                throw new IllegalArgumentException("unknown field " + field);
        }
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
