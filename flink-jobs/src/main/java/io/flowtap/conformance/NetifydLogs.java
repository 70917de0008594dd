package io.flowtap.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads netifyd's flow lines: {@code iface: [flags] PROTO[.app] lower:port <arrow> upper:port [H:
 * host] [SSL C: sni]}. A flow may have several lines (detection, updates); the last wins.
 */
final class NetifydLogs {
    private static final Pattern LINE =
            Pattern.compile(
                    "^\\S+: \\[[^\\]]*\\] (\\S+) (\\S+):(\\d+) (?:-->|<--|<->|---|-\\?-)"
                            + " (\\S+):(\\d+)(.*)$");
    private static final Pattern HOST = Pattern.compile(" H: (\\S+)");

    private NetifydLogs() {}

    static List<Expected> read(Path log, String capture) throws IOException {
        Map<String, Expected> byFlow = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String a = Expected.endpoint(m.group(2), m.group(3));
            String b = Expected.endpoint(m.group(4), m.group(5));
            if (a == null || b == null) {
                continue;
            }
            String proto = m.group(1);
            int dot = proto.indexOf('.');
            String protocol = dot > 0 ? proto.substring(0, dot) : proto;
            Matcher h = HOST.matcher(m.group(6));
            Expected e =
                    new Expected(
                            "netifyd",
                            capture,
                            "?",
                            a,
                            b,
                            ProtocolNames.v5OfV4(protocol),
                            h.find() ? h.group(1) : null,
                            null,
                            null);
            byFlow.put(e.key(), e);
        }
        return new ArrayList<>(byFlow.values());
    }
}
