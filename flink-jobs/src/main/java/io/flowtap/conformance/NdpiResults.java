package io.flowtap.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads ndpiReader's per-flow lines ({@code <pcap>.out} of nDPI's regression suite). */
final class NdpiResults {
    private static final Pattern FLOW =
            Pattern.compile(
                    "^\\s*\\d+\\s+(TCP|UDP)\\s+(\\S+):(\\d+)\\s+<?->?\\s+(\\S+):(\\d+)\\s+(.*)$");
    private static final Pattern PROTO = Pattern.compile("\\[proto: [0-9.]+/([^\\]]+)\\]");
    private static final Pattern HOST = Pattern.compile("\\[Hostname/SNI: ([^\\]]*)\\]");
    private static final Pattern JA4 = Pattern.compile("\\[JA4: ([^\\]]*)\\]");

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
                            j.find() ? j.group(1) : null));
        }
        return flows;
    }
}
