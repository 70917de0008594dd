package io.flowtap.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads ndpiReader's per-flow lines ({@code <pcap>.out} of nDPI's regression suite). */
final class NdpiResults {
    private static final Pattern FLOW =
            Pattern.compile(
                    "^\\s*\\d+\\s+(TCP|UDP)\\s+(\\S+):(\\d+)\\s+<?->?\\s+(\\S+):(\\d+)\\s+(.*)$");
    private static final Pattern PROTO = Pattern.compile("\\[proto: [0-9.]+/([^\\]]+)\\]");
    private static final Pattern HOST = Pattern.compile("\\[Hostname/SNI: ([^\\]]*)\\]");
    private static final Pattern JA4 = Pattern.compile("\\[JA4: ([^\\]]*)\\]");
    private static final Pattern RISK = Pattern.compile("\\[Risk: ((?:\\*\\* [^*]+ \\*\\*)+)\\]");

    /** ndpiReader's names of the risks Flowtap evaluates, with nDPI's ids. */
    private static final Map<String, Integer> RISK_IDS =
            Map.ofEntries(
                    Map.entry("Known Proto on Non Std Port", 5),
                    Map.entry("Self-signed Cert", 6),
                    Map.entry("Obsolete TLS (v1.1 or older)", 7),
                    Map.entry("Weak TLS Cipher", 8),
                    Map.entry("TLS Cert Expired", 9),
                    Map.entry("TLS Cert Mismatch", 10),
                    Map.entry("HTTP/TLS/QUIC Numeric Hostname/SNI", 12),
                    Map.entry("Susp DGA Domain name", 16),
                    Map.entry("SSH Obsolete Cli Vers/Cipher", 18),
                    Map.entry("SSH Obsolete Ser Vers/Cipher", 19),
                    Map.entry("Missing SNI TLS Extn", 24),
                    Map.entry("Clear-Text Credentials", 36),
                    Map.entry("TLS Cert About To Expire", 41));

    private NdpiResults() {}

    static List<Expected> read(Path out, String capture) throws IOException {
        List<Expected> flows = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            Matcher m = FLOW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String a = Expected.endpoint(m.group(2), m.group(3));
            String b = Expected.endpoint(m.group(4), m.group(5));
            if (a == null || b == null) {
                continue;
            }
            String rest = m.group(6);
            Matcher p = PROTO.matcher(rest);
            Matcher h = HOST.matcher(rest);
            Matcher j = JA4.matcher(rest);
            String protocol = p.find() ? p.group(1).split("\\.")[0] : null;
            flows.add(
                    new Expected(
                            "nDPI",
                            capture,
                            m.group(1).toLowerCase(Locale.ROOT),
                            a,
                            b,
                            protocol,
                            h.find() ? h.group(1) : null,
                            j.find() ? j.group(1) : null,
                            risks(rest)));
        }
        return flows;
    }

    /** The ids of the evaluated risks a line names, sorted and comma-separated. */
    static String risks(String line) {
        Matcher r = RISK.matcher(line);
        TreeSet<Integer> ids = new TreeSet<>();
        if (r.find()) {
            for (String name : r.group(1).split("\\*\\*")) {
                Integer id = RISK_IDS.get(name.trim());
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
