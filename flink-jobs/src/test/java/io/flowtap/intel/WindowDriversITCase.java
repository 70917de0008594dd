package io.flowtap.intel;

import io.flowtap.schemas.NetifySchemas;
import io.flowtap.testing.Commands;
import io.flowtap.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drivers that look at many flows, on the project's intelligence capture (testdata/README.md: a
 * port scan, a host scan, a DNS tunnel, DGA lookups, an upload burst and a late new device among
 * ordinary browsing). What each must find is recomputed from tshark's reading of the capture
 * (testdata/expected/flowtap-intel.packets.tsv) or taken from nDPI's
 * (flowtap-intel.ndpi-risks.tsv).
 */
class WindowDriversITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long SCAN_WINDOW = 10_000;
    private static final long TUNNEL_WINDOW = 10_000;
    private static final long UPLOAD_WINDOW = 5_000;

    @TempDir static Path tmp;

    private static IntelCapture capture;
    private static Map<String, List<JsonNode>> byIndicator;
    private static Map<String, String> tupleByDigest;

    @BeforeAll
    static void backfill() throws Exception {
        capture = IntelCapture.read(TestData.expected("flowtap-intel.packets.tsv"));
        Path config = tmp.resolve("config");
        Path logs = tmp.resolve("logs");
        writeConfig(
                config,
                logs,
                """
                {"indicator_defaults": {"event_filter": ["dpi_complete"]},
                 "indicators": {
                   "ports": {"enabled": true, "indicator_driver": "port_scan",
                             "criteria": {"window": 10}},
                   "hosts": {"enabled": true, "indicator_driver": "host_scan",
                             "criteria": {"window": 10}},
                   "tunnel": {"enabled": true, "indicator_driver": "dns_tunnel",
                              "criteria": {"window": 10}},
                   "dga": {"enabled": true, "indicator_driver": "dga"},
                   "devices": {"enabled": true, "indicator_driver": "new_device"},
                   "unknown_devices": {"enabled": true, "indicator_driver": "new_device",
                                       "data_feeds": ["inventory"]},
                   "upload": {"enabled": true, "indicator_driver": "upload_anomaly",
                              "criteria": {"window": 5, "history": 6, "min_upload": 500000}}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """);
        Files.createDirectories(config.resolve("feeds"));
        Files.writeString(
                config.resolve("feeds").resolve("inventory.txt"),
                "# the browsing host and the uploader are known\n"
                        + "02:00:c0:a8:4d:02\n02-00-C0-A8-4D-09\n");
        Commands.Result r =
                Commands.backfill(TestData.pcap("flowtap-intel.pcap"), tmp.resolve("out"), config);
        assertThat(r.code()).as(r.err()).isZero();
        byIndicator = new TreeMap<>();
        for (String line : Files.readAllLines(logs.resolve("intel.json"))) {
            JsonNode n = MAPPER.readTree(line);
            byIndicator
                    .computeIfAbsent(
                            n.get("flow").get("intel").get(0).get("indicator").asText(),
                            k -> new ArrayList<>())
                    .add(n);
        }
        tupleByDigest = new HashMap<>();
        for (String line : Files.readAllLines(logs.resolve("flows.json"))) {
            JsonNode f = MAPPER.readTree(line).get("flow");
            if (f != null && f.has("other_ip")) {
                String tuple =
                        f.get("local_ip").asText()
                                + ":"
                                + f.get("local_port").asInt()
                                + " "
                                + f.get("other_ip").asText()
                                + ":"
                                + f.get("other_port").asInt();
                tupleByDigest.put(f.get("digest").asText(), tuple);
                for (JsonNode prev : f.path("digest_prev")) {
                    tupleByDigest.put(prev.asText(), tuple);
                }
            }
        }
    }

    static void writeConfig(Path dir, Path logs, String intel) throws Exception {
        IntelConfig.write(dir, logs, intel);
        Files.writeString(dir.resolve("flowtap.json"), "{\"update_interval\": 5}");
    }

    private static List<JsonNode> records(String indicator) {
        return byIndicator.getOrDefault(indicator, List.of());
    }

    private static JsonNode hit(JsonNode record) {
        return record.get("flow").get("intel").get(0);
    }

    /** "local ip window-start" of a window driver's record, checking the window's bounds. */
    private static String windowOf(JsonNode record, long size) {
        JsonNode e = hit(record).get("evidence");
        long start = e.get("window_start_at").asLong();
        assertThat(e.get("window_end_at").asLong()).isEqualTo(start + size);
        assertThat(start % size).isZero();
        return e.get("local_ip").asText() + " " + start;
    }

    @Test
    void everyRecordIsValidAndNamesAFlowOfTheCapture() throws Exception {
        assertThat(byIndicator.keySet())
                .containsExactlyInAnyOrder(
                        "ports", "hosts", "tunnel", "dga", "devices", "unknown_devices", "upload");
        String schema = NetifySchemas.forRecordType("flow_intel");
        for (List<JsonNode> records : byIndicator.values()) {
            for (JsonNode n : records) {
                assertThat(NetifySchemas.validate(schema, n)).as(n.toString()).isEmpty();
                assertThat(tupleByDigest).containsKey(n.get("flow").get("digest").asText());
                assertThat(n.get("interface").asText()).isEqualTo("pcap");
            }
        }
    }

    /**
     * The {@code intel} Parquet dataset holds a row per record, read back by DuckDB: the same
     * indicators, digests, scores and windows, partitioned by the hour of detection.
     */
    @Test
    void theIntelDatasetHoldsARowPerRecord() throws Exception {
        List<Map<String, Object>> rows =
                io.flowtap.testing.Parquet.query(
                        tmp.resolve("out").resolve("parquet").resolve("intel"),
                        "SELECT indicator, digest, score, window_start, dt, hour, evidence"
                                + " FROM DATASET ORDER BY indicator, digest");
        Set<String> fromRows = new TreeSet<>();
        for (Map<String, Object> r : rows) {
            fromRows.add(r.get("indicator") + " " + r.get("digest") + " " + r.get("score"));
            assertThat(r.get("dt")).hasToString("2026-12-01");
            assertThat(r.get("hour")).hasToString("21");
            if (List.of("ports", "hosts", "tunnel", "upload").contains(r.get("indicator"))) {
                assertThat(r.get("window_start")).isNotNull();
                assertThat(MAPPER.readTree((String) r.get("evidence")).has("local_ip")).isTrue();
            }
        }
        Set<String> fromRecords = new TreeSet<>();
        int records = 0;
        for (List<JsonNode> list : byIndicator.values()) {
            for (JsonNode n : list) {
                records++;
                fromRecords.add(
                        hit(n).get("indicator").asText()
                                + " "
                                + n.get("flow").get("digest").asText()
                                + " "
                                + hit(n).get("score").asInt());
            }
        }
        assertThat(rows).hasSize(records);
        assertThat(fromRows).isEqualTo(fromRecords);
    }

    /**
     * Port scans: per 10 s window and local origin, the most distinct ports on one other address
     * among tshark's streams that went nowhere. The scanner's 1000 ports over 25 s span three
     * windows: one record each, naming a flow of the scan.
     */
    /**
     * The scan windows tshark's streams say fire: per LAN origin and 10 s window, the probes that
     * went nowhere grouped by {@code group} (an other address, or a port), and the most distinct
     * {@code member}s (ports, or other addresses) of one group, where it reaches {@code threshold}.
     */
    private static Map<String, Integer> scanWindows(
            Function<IntelCapture.Packet, Object> group,
            Function<IntelCapture.Packet, Object> member,
            int threshold) {
        Map<String, Map<Object, Set<Object>>> seen = new TreeMap<>();
        for (IntelCapture.Stream s : capture.streams.values()) {
            IntelCapture.Packet p = s.first;
            if (IntelCapture.lan(p.src()) && s.failed()) {
                seen.computeIfAbsent(
                                p.src() + " " + IntelCapture.window(p.ms(), SCAN_WINDOW),
                                k -> new HashMap<>())
                        .computeIfAbsent(group.apply(p), k -> new HashSet<>())
                        .add(member.apply(p));
            }
        }
        Map<String, Integer> firing = new TreeMap<>();
        seen.forEach(
                (window, groups) -> {
                    int most = groups.values().stream().mapToInt(Set::size).max().orElse(0);
                    if (most >= threshold) {
                        firing.put(window, most);
                    }
                });
        return firing;
    }

    @Test
    void aPortScanFiresOncePerWindowItSpans() {
        Map<String, Integer> firing =
                scanWindows(
                        IntelCapture.Packet::dst, p -> p.ipProtocol() * 65536 + p.dstPort(), 15);
        assertThat(firing).hasSize(3);
        assertThat(firing.keySet()).allMatch(w -> w.startsWith("192.168.77.5 "));

        Map<String, Integer> fired = new TreeMap<>();
        for (JsonNode n : records("ports")) {
            JsonNode e = hit(n).get("evidence");
            assertThat(e.get("other_ip").asText()).isEqualTo("203.0.113.20");
            assertThat(fired.put(windowOf(n, SCAN_WINDOW), e.get("ports").asInt()))
                    .as("once per window")
                    .isNull();
            assertThat(tupleByDigest.get(n.get("flow").get("digest").asText()))
                    .startsWith("192.168.77.5:")
                    .contains(" 203.0.113.20:");
            assertThat(hit(n).get("event").asText()).isEqualTo("flow_new");
            assertThat(hit(n).get("criteria").get("min_ports").asInt()).isEqualTo(15);
        }
        assertThat(fired).isEqualTo(firing);
    }

    /** Host scans: per window and local origin, the most distinct addresses on one port. */
    @Test
    void aHostScanFiresInTheWindowItCoversMostOf() {
        Map<String, Integer> firing =
                scanWindows(
                        p -> p.ipProtocol() * 65536 + p.dstPort(), IntelCapture.Packet::dst, 25);
        assertThat(firing).hasSize(1);
        assertThat(firing.keySet()).allMatch(w -> w.startsWith("192.168.77.6 "));
        Map<String, Integer> fired = new TreeMap<>();
        for (JsonNode n : records("hosts")) {
            JsonNode e = hit(n).get("evidence");
            assertThat(e.get("other_port").asInt()).isEqualTo(3389);
            assertThat(e.get("ip_protocol").asInt()).isEqualTo(6);
            assertThat(fired.put(windowOf(n, SCAN_WINDOW), e.get("hosts").asInt())).isNull();
        }
        assertThat(fired).isEqualTo(firing);
    }

    /**
     * DNS tunnels: per window, local address and domain (the last two labels: the capture has no
     * names under country second-level domains), the distinct names with at least 24 characters
     * below the domain, placed by the answer's time (when inspection of the flow completes).
     */
    @Test
    void aDnsTunnelFiresPerWindowOfLongDistinctNames() {
        Map<String, IntelCapture.Packet> queries = new HashMap<>();
        Map<String, Set<String>> expected = new TreeMap<>();
        for (IntelCapture.Packet p : capture.packets) {
            if (p.dnsName().isEmpty() || p.stream() == null) {
                continue;
            }
            if (!p.dnsResponse()) {
                queries.putIfAbsent(p.stream(), p);
                continue;
            }
            IntelCapture.Packet q = queries.get(p.stream());
            if (q == null || !IntelCapture.lan(q.src())) {
                continue;
            }
            String name = q.dnsName().toLowerCase();
            String[] labels = name.split("\\.");
            String domain = labels[labels.length - 2] + "." + labels[labels.length - 1];
            if (name.length() - domain.length() - 1 >= 24) {
                expected.computeIfAbsent(
                                q.src()
                                        + " "
                                        + IntelCapture.window(p.ms(), TUNNEL_WINDOW)
                                        + " "
                                        + domain,
                                k -> new TreeSet<>())
                        .add(name);
            }
        }
        Map<String, Integer> firing = new TreeMap<>();
        expected.forEach(
                (k, names) -> {
                    if (names.size() >= 30) {
                        firing.put(k, names.size());
                    }
                });
        assertThat(firing).isNotEmpty();
        assertThat(firing.keySet()).allMatch(w -> w.startsWith("192.168.77.7 "));
        Map<String, Integer> fired = new TreeMap<>();
        for (JsonNode n : records("tunnel")) {
            JsonNode e = hit(n).get("evidence");
            String key = windowOf(n, TUNNEL_WINDOW) + " " + e.get("domain").asText();
            assertThat(fired.put(key, e.get("names").asInt())).isNull();
            assertThat(hit(n).get("event").asText()).isEqualTo("dpi_complete");
        }
        assertThat(fired).isEqualTo(firing);
    }

    /**
     * DGA names: the flows nDPI 4.2 flags with a suspicious DGA domain, but for the DNS tunnel's
     * queries: nDPI weighs the whole name, Flowtap the registrable label, and leaves long random
     * labels under an ordinary domain to the tunnel driver.
     */
    @Test
    void dgaFiresForTheFlowsNdpiFindsGeneratedDomainsIn() throws Exception {
        Set<String> expected = new TreeSet<>();
        List<String> rows = Files.readAllLines(TestData.expected("flowtap-intel.ndpi-risks.tsv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t", -1);
            if (f[6].contains("Suspicious DGA Domain name") && !f[5].endsWith(".exfil.test")) {
                expected.add(f[1] + ":" + f[2] + " " + f[3] + ":" + f[4]);
            }
        }
        assertThat(expected).hasSize(4);
        Set<String> fired = new TreeSet<>();
        for (JsonNode n : records("dga")) {
            assertThat(hit(n).get("finding").asText()).isEqualTo("suspicious_dga_domain");
            assertThat(hit(n).get("evidence").get("name").asText()).endsWith(".com");
            assertThat(fired.add(tupleByDigest.get(n.get("flow").get("digest").asText())))
                    .as("once per flow")
                    .isTrue();
        }
        assertThat(fired).isEqualTo(expected);
    }

    /**
     * New devices: each LAN host's MAC once, with the time of the first frame tshark shows it in;
     * the gateway's MAC (the local end of no flow with a local address) never.
     */
    @Test
    void eachLanDeviceIsNewOnceAtItsFirstFrame() {
        Map<String, Long> expected = new TreeMap<>();
        Set<String> lanMacs = new HashSet<>();
        for (IntelCapture.Packet p : capture.packets) {
            if (IntelCapture.lan(p.src())) {
                lanMacs.add(p.ethSrc());
            }
        }
        for (IntelCapture.Packet p : capture.packets) {
            for (String mac : List.of(p.ethSrc(), p.ethDst())) {
                if (lanMacs.contains(mac)) {
                    expected.merge(mac, p.ms(), Math::min);
                }
            }
        }
        assertThat(expected).hasSize(7);
        Map<String, Long> fired = new TreeMap<>();
        for (JsonNode n : records("devices")) {
            JsonNode e = hit(n).get("evidence");
            assertThat(fired.put(e.get("local_mac").asText(), e.get("first_seen_at").asLong()))
                    .isNull();
            assertThat(tupleByDigest.get(n.get("flow").get("digest").asText()))
                    .startsWith(e.get("local_ip").asText() + ":");
        }
        assertThat(fired).isEqualTo(expected);

        // With an inventory of two of them, the other five.
        Map<String, Long> unknown = new TreeMap<>();
        for (JsonNode n : records("unknown_devices")) {
            JsonNode e = hit(n).get("evidence");
            unknown.put(e.get("local_mac").asText(), e.get("first_seen_at").asLong());
        }
        expected.remove("02:00:c0:a8:4d:02");
        expected.remove("02:00:c0:a8:4d:09");
        assertThat(unknown).isEqualTo(expected).hasSize(5);
    }

    /**
     * Upload anomalies: per 5 s window the wire bytes each LAN host sent, against the mean of its 6
     * windows before (zero where it sent nothing) once it has that many: the 1.5 MB upload after 8
     * kB ones fires, nothing else does.
     */
    @Test
    void anUploadBurstFiresAgainstTheHostsOwnBaseline() {
        Map<String, TreeMap<Long, Long>> sent = new TreeMap<>();
        for (IntelCapture.Packet p : capture.packets) {
            if (IntelCapture.lan(p.src())) {
                sent.computeIfAbsent(p.src(), k -> new TreeMap<>())
                        .merge(IntelCapture.window(p.ms(), UPLOAD_WINDOW), p.length(), Long::sum);
            }
        }
        Map<String, Long> firing = new TreeMap<>();
        sent.forEach(
                (host, windows) -> {
                    long first = windows.firstKey();
                    for (Map.Entry<Long, Long> w : windows.entrySet()) {
                        long before = (w.getKey() - first) / UPLOAD_WINDOW;
                        if (before < 6) {
                            continue;
                        }
                        long sum = 0;
                        for (long k = 1; k <= 6; k++) {
                            sum += windows.getOrDefault(w.getKey() - k * UPLOAD_WINDOW, 0L);
                        }
                        if (w.getValue() >= 500_000 && w.getValue() >= 10 * sum / 6.0) {
                            firing.put(host + " " + w.getKey(), w.getValue());
                        }
                    }
                });
        assertThat(firing).hasSize(1);
        assertThat(firing.keySet()).allMatch(w -> w.startsWith("192.168.77.9 "));
        Map<String, Long> fired = new TreeMap<>();
        for (JsonNode n : records("upload")) {
            JsonNode e = hit(n).get("evidence");
            assertThat(fired.put(windowOf(n, UPLOAD_WINDOW), e.get("upload").asLong())).isNull();
            assertThat(tupleByDigest.get(n.get("flow").get("digest").asText()))
                    .startsWith("192.168.77.9:")
                    .endsWith(" 203.0.113.30:9000");
        }
        assertThat(fired).isEqualTo(firing);
    }

    /**
     * Ordinary traffic fires none of the scan, tunnel and upload drivers at their defaults (and a
     * port scan counting answered flows too): the bundled sample, the intelligence capture's
     * browsing host, and where they are beside the repository nDPI's captures of an iPhone, Tor,
     * HTTP over IPv6 and fragmented DNS.
     */
    @Test
    void ordinaryTrafficFiresNoneOfThem() throws Exception {
        Path config = tmp.resolve("quiet-config");
        Path logs = tmp.resolve("quiet-logs");
        writeConfig(
                config,
                logs,
                """
                {"indicator_defaults": {},
                 "indicators": {
                   "ports": {"enabled": true, "indicator_driver": "port_scan"},
                   "answered_ports": {"enabled": true, "indicator_driver": "port_scan",
                                      "criteria": {"failed_only": false}},
                   "hosts": {"enabled": true, "indicator_driver": "host_scan"},
                   "tunnel": {"enabled": true, "indicator_driver": "dns_tunnel"},
                   "upload": {"enabled": true, "indicator_driver": "upload_anomaly",
                              "criteria": {"expression": "local_ip == 192.168.77.2;"}}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """);
        List<String> args = new ArrayList<>();
        args.addAll(List.of("--pcap", TestData.pcap("flowtap-sample.pcap").toString()));
        Path shared = TestData.sharedPcaps();
        if (shared != null) {
            for (String name :
                    List.of("iphone.pcap", "tor.pcap", "http_ipv6.pcap", "dns_fragmented.pcap")) {
                args.addAll(List.of("--pcap", shared.resolve("ndpi").resolve(name).toString()));
            }
        }
        Commands.Result r =
                Commands.run(
                        concat(
                                List.of("backfill"),
                                args,
                                List.of(
                                        "--out",
                                        tmp.resolve("quiet-out").toString(),
                                        "--config",
                                        config.toString(),
                                        "--quiet")));
        assertThat(r.code()).as(r.err()).isZero();
        // Every flow of the captures went through: at least the sample's own.
        assertThat(
                        Files.readAllLines(logs.resolve("flows.json")).stream()
                                .filter(l -> l.endsWith("\"type\":\"flow\"}"))
                                .count())
                .isGreaterThanOrEqualTo(io.flowtap.testing.Streams.SAMPLE_FLOWS);
        Path intel = logs.resolve("intel.json");
        assertThat(Files.exists(intel) ? Files.readAllLines(intel) : List.of()).isEmpty();

        // The intelligence capture's browsing host, on its own, at every driver's defaults.
        Path browsing = tmp.resolve("browsing-config");
        Path browsingLogs = tmp.resolve("browsing-logs");
        String only = "\"criteria\": {\"expression\": \"local_ip == 192.168.77.2;\"}";
        writeConfig(
                browsing,
                browsingLogs,
                ("""
                {"indicator_defaults": {},
                 "indicators": {
                   "ports": {"enabled": true, "indicator_driver": "port_scan", ONLY},
                   "hosts": {"enabled": true, "indicator_driver": "host_scan", ONLY},
                   "tunnel": {"enabled": true, "indicator_driver": "dns_tunnel", ONLY},
                   "dga": {"enabled": true, "indicator_driver": "dga", ONLY},
                   "upload": {"enabled": true, "indicator_driver": "upload_anomaly", ONLY}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """)
                        .replace("ONLY", only));
        r =
                Commands.backfill(
                        TestData.pcap("flowtap-intel.pcap"), tmp.resolve("browsing-out"), browsing);
        assertThat(r.code()).as(r.err()).isZero();
        Path browsingIntel = browsingLogs.resolve("intel.json");
        assertThat(Files.exists(browsingIntel) ? Files.readAllLines(browsingIntel) : List.of())
                .isEmpty();
    }

    /**
     * The same configuration through the streaming path (an agent replaying the capture into Kafka,
     * the stream job at parallelism 2) fires the same records: the windows wait for the watermark,
     * and new devices for theirs.
     */
    @Test
    void theStreamJobFiresTheSameRecords() throws Exception {
        Path config = tmp.resolve("config");
        Path streamLogs = tmp.resolve("stream-logs");
        Path streamConfig =
                io.flowtap.testing.ConfigCopies.withLogs(
                        config, tmp.resolve("stream-config"), tmp.resolve("logs"), streamLogs);
        Commands.Result r =
                Commands.run(
                        "stream",
                        "--embedded-kafka",
                        "--replay",
                        TestData.pcap("flowtap-intel.pcap").toString(),
                        "--config",
                        streamConfig.toString(),
                        "--parallelism",
                        "2",
                        "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> streamed =
                new ArrayList<>(Files.readAllLines(streamLogs.resolve("intel.json")));
        List<String> backfilled = new ArrayList<>();
        for (List<JsonNode> records : byIndicator.values()) {
            for (JsonNode n : records) {
                backfilled.add(n.toString());
            }
        }
        streamed.sort(null);
        backfilled.sort(null);
        assertThat(streamed).hasSize(backfilled.size()).isEqualTo(backfilled);
    }

    private static String[] concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all.toArray(new String[0]);
    }
}
