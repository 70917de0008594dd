package io.flowtap.intel;

import io.flowtap.schemas.NetifySchemas;
import io.flowtap.testing.Commands;
import io.flowtap.testing.TestData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code flow_intel} records of a {@code tor_relay} indicator on a capture Flowtap was not built
 * with (nDPI's tor.pcap): its feed lists two of the capture's relay addresses and a network around
 * a third; the flows that fire must be exactly tshark's conversations with those addresses.
 */
class IntelITCase {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> LISTED = Set.of("91.143.93.242", "46.59.52.31");
    private static final String LISTED_NETWORK = "62.210.137.";

    @TempDir Path tmp;

    private static Path config(Path dir, Path logs, String feed) throws Exception {
        IntelConfig.write(
                dir,
                logs,
                """
                {"indicator_defaults": {"event_filter": ["dpi_complete"]},
                 "indicators": {
                   "tor_relay": {"enabled": true, "indicator_driver": "tor_relay",
                                 "criteria": {"min_bytes": 0, "min_score": 0,
                                              "trigger_on_east_west": true,
                                              "trigger_on_wan": true},
                                 "data_feeds": ["tor_relay"]}},
                 "sink_targets": {"intel": {"sink": "sink-log",
                                            "channels": {"intel": {"enabled": true}}}}}
                """);
        Files.writeString(dir.resolve("feeds").resolve("tor_relay.txt"), feed);
        return dir;
    }

    /** tshark's TCP and UDP conversations as "server address/server port/client port". */
    private static Set<String> tsharkConversationsWithListedAddresses(Path capture)
            throws Exception {
        Process p =
                new ProcessBuilder(
                                "tshark",
                                "-r",
                                capture.toString(),
                                "-q",
                                "-z",
                                "conv,tcp",
                                "-z",
                                "conv,udp")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Set<String> conversations = new TreeSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[1].equals("<->")) {
                continue;
            }
            String[] a = split(f[0]);
            String[] b = split(f[2]);
            String[] server = listed(a[0]) ? a : listed(b[0]) ? b : null;
            String[] client = server == a ? b : a;
            if (server != null) {
                conversations.add(server[0] + "/" + server[1] + "/" + client[1]);
            }
        }
        return conversations;
    }

    /** "other address/other port/local port" of each flow digest in a log of flow records. */
    private static Map<String, String> tuplesByDigest(Path flows) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(flows)) {
            JsonNode f = MAPPER.readTree(line).get("flow");
            if (f != null && f.has("other_ip")) {
                out.put(
                        f.get("digest").asText(),
                        f.get("other_ip").asText()
                                + "/"
                                + f.get("other_port").asInt()
                                + "/"
                                + f.get("local_port").asInt());
            }
        }
        return out;
    }

    private static String[] split(String addressPort) {
        int colon = addressPort.lastIndexOf(':');
        return new String[] {addressPort.substring(0, colon), addressPort.substring(colon + 1)};
    }

    private static boolean listed(String ip) {
        return LISTED.contains(ip) || ip.startsWith(LISTED_NETWORK);
    }

    @Test
    void aTorRelayFeedFlagsExactlyTheFlowsToItsAddresses() throws Exception {
        Path shared = TestData.sharedPcaps();
        assumeTrue(shared != null, "the shared captures are not beside the repository");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark is not installed");
        Path capture = shared.resolve("ndpi").resolve("tor.pcap");
        Path logs = tmp.resolve("logs");
        Path config =
                config(
                        tmp.resolve("config"),
                        logs,
                        """
                        # Relays seen in the capture (tshark -z conv,ip)
                        91.143.93.242
                        46.59.52.31   # a comment after an entry
                        62.210.137.0/24

                        203.0.113.99
                        relay.example.org
                        """);
        Commands.Result r = Commands.backfill(capture, tmp.resolve("out"), config);
        assertThat(r.code()).as(r.err()).isZero();

        Map<String, String> tupleByDigest = tuplesByDigest(logs.resolve("flows.json"));
        List<JsonNode> intel = new ArrayList<>();
        for (String line : Files.readAllLines(logs.resolve("intel.json"))) {
            intel.add(MAPPER.readTree(line));
        }
        Set<String> fired = new TreeSet<>();
        for (JsonNode n : intel) {
            assertThat(NetifySchemas.validate(NetifySchemas.forRecordType("flow_intel"), n))
                    .as(n.toString())
                    .isEmpty();
            JsonNode hit = n.get("flow").get("intel").get(0);
            assertThat(hit.get("indicator").asText()).isEqualTo("tor_relay");
            assertThat(hit.get("indicator_driver").asText()).isEqualTo("tor_relay");
            assertThat(hit.get("category").asText()).isEqualTo("tor_detection");
            assertThat(hit.get("score").asInt()).isEqualTo(70);
            assertThat(hit.get("event").asText()).isEqualTo("dpi_complete");
            assertThat(hit.get("data_feed").asText()).isEqualTo("tor_relay");
            assertThat(n.get("interface").asText()).isEqualTo("pcap");
            String tuple = tupleByDigest.get(n.get("flow").get("digest").asText());
            assertThat(tuple).as("a flow record with the intel record's digest").isNotNull();
            fired.add(tuple);
        }
        assertThat(intel).as("once per flow").hasSize(fired.size());
        Set<String> expected = tsharkConversationsWithListedAddresses(capture);
        assertThat(expected).isNotEmpty();
        assertThat(fired).isEqualTo(expected);
    }

    /**
     * A {@code tls_findings} indicator on tor.pcap fires for exactly the flows whose TLS risks
     * nDPI's own reading of the capture (tor.pcap.out) lists: obsolete TLS, self-signed, expired or
     * mismatched certificates.
     */
    @Test
    void tlsFindingsFireForTheFlowsNdpiFindsTlsRisksIn() throws Exception {
        Path shared = TestData.sharedPcaps();
        assumeTrue(shared != null, "the shared captures are not beside the repository");
        Path capture = shared.resolve("ndpi").resolve("tor.pcap");
        Path logs = tmp.resolve("logs");
        Path config = config(tmp.resolve("config"), logs, "192.0.2.1\n");
        Files.writeString(
                config.resolve("netify-proc-intel.json"),
                """
                {"indicator_defaults": {"event_filter": ["dpi_complete"]},
                 "indicators": {"weak_tls": {"enabled": true, "indicator_driver": "tls_findings"}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """);
        Commands.Result r = Commands.backfill(capture, tmp.resolve("out"), config);
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, String> tupleByDigest = tuplesByDigest(logs.resolve("flows.json"));
        Set<String> fired = new TreeSet<>();
        for (String line : Files.readAllLines(logs.resolve("intel.json"))) {
            JsonNode n = MAPPER.readTree(line);
            assertThat(NetifySchemas.validate(NetifySchemas.forRecordType("flow_intel"), n))
                    .isEmpty();
            JsonNode hit = n.get("flow").get("intel").get(0);
            assertThat(hit.get("indicator_driver").asText()).isEqualTo("tls_findings");
            assertThat(hit.get("category").asText()).isEqualTo("suspicious_tls");
            assertThat(hit.get("finding").asText()).isEqualTo("tls_obsolete_version");
            assertThat(hit.has("data_feed")).isFalse();
            fired.add(tupleByDigest.get(n.get("flow").get("digest").asText()));
        }
        Set<String> expected = new TreeSet<>();
        java.util.regex.Pattern flow =
                java.util.regex.Pattern.compile(
                        "TCP ([0-9.]+):(\\d+) <-> ([0-9.]+):(\\d+) .*Risk: (.*)");
        for (String line : Files.readAllLines(capture.resolveSibling("tor.pcap.out"))) {
            java.util.regex.Matcher m = flow.matcher(line);
            if (m.find()
                    && m.group(5)
                            .matches(
                                    ".*(Obsolete TLS|Self-signed|TLS Cert Mismatch"
                                            + "|TLS Cert Expired).*")) {
                // The capture's client is 192.168.1.252, on the left of nDPI's lines.
                expected.add(m.group(3) + "/" + m.group(4) + "/" + m.group(2));
            }
        }
        assertThat(expected).hasSize(7);
        assertThat(fired).isEqualTo(expected);
    }

    @Test
    void aBadFeedLineIsReportedWithItsFileAndLine() throws Exception {
        Path config = config(tmp.resolve("config"), tmp.resolve("logs"), "10.0.0.1\n10.0.0.0/33\n");
        Commands.Result r =
                Commands.backfill(TestData.pcap("flowtap-sample.pcap"), tmp.resolve("out"), config);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains(
                        "feeds/tor_relay.txt: line 2: '10.0.0.0/33' is not a valid address or"
                                + " network (rule: feed entry)");
    }

    @Test
    void indicatorMistakesAreNamedWithTheirPath() throws Exception {
        Path config = config(tmp.resolve("config"), tmp.resolve("logs"), "192.0.2.1\n");
        Files.writeString(
                config.resolve("netify-proc-intel.json"),
                """
                {"indicator_defaults": {},
                 "indicators": {
                   "a": {"enabled": true, "indicator_driver": "tor_relays"},
                   "b": {"enabled": true, "indicator_driver": "blocklist",
                         "criteria": {"min_byte": 10}, "data_feeds": ["tor_relay", "nope"]},
                   "c": {"enabled": true, "indicator_driver": "doh_scanner",
                         "criteria": {"expression": "other_port = 443;"},
                         "data_feeds": ["tor_relay"], "sink_targets": ["elsewhere"]}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """);
        Commands.Result r =
                Commands.backfill(TestData.pcap("flowtap-sample.pcap"), tmp.resolve("out"), config);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains(
                        "netify-proc-intel.json: $.indicators.a.indicator_driver: unknown driver"
                                + " 'tor_relays'; drivers are blocklist, dga, dns_tunnel,"
                                + " doh_scanner, host_scan, ja4_blocklist, new_device, port_scan,"
                                + " tls_findings, tor_relay, upload_anomaly, vpn_server_consumer"
                                + " (rule: driver)")
                .contains(
                        "netify-proc-intel.json: $.indicators.b.criteria.min_byte: not a"
                                + " criterion of driver 'blocklist'; its criteria are category,"
                                + " expression, min_bytes, min_score, score, trigger_on_east_west,"
                                + " trigger_on_wan (rule: declared properties)")
                .contains(
                        "netify-proc-intel.json: $.indicators.b.data_feeds: data feed 'nope': no"
                                + " file feeds/nope.txt (rule: feed file)")
                .contains("netify-proc-intel.json: $.indicators.c.criteria.expression:")
                .contains("(rule: expression)")
                .contains(
                        "netify-proc-intel.json: $.indicators.c.sink_targets: no sink target"
                                + " 'elsewhere' under $.sink_targets (rule: target)");
    }

    @Test
    void windowDriverMistakesAreNamedWithTheirPath() throws Exception {
        Path config = config(tmp.resolve("config"), tmp.resolve("logs"), "192.0.2.1\n");
        Files.writeString(
                config.resolve("netify-proc-intel.json"),
                """
                {"indicator_defaults": {},
                 "indicators": {
                   "p": {"enabled": true, "indicator_driver": "port_scan",
                         "criteria": {"window": 20, "min_ports": 0, "failed_only": "yes"}},
                   "h": {"enabled": true, "indicator_driver": "host_scan",
                         "criteria": {"min_ports": 10}, "data_feeds": ["tor_relay"]},
                   "u": {"enabled": true, "indicator_driver": "upload_anomaly",
                         "criteria": {"factor": 2.5}}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """);
        Commands.Result r =
                Commands.backfill(TestData.pcap("flowtap-sample.pcap"), tmp.resolve("out"), config);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains(
                        "netify-proc-intel.json: $.indicators.p.criteria.window: 20 s is not a"
                                + " multiple of the update interval (15 s, flowtap.json's"
                                + " update_interval) (rule: multiple of update_interval)")
                .contains(
                        "netify-proc-intel.json: $.indicators.p.criteria.min_ports: must be a"
                                + " whole number of 1 or more (rule: minimum)")
                .contains(
                        "netify-proc-intel.json: $.indicators.p.criteria.failed_only: must be"
                                + " true or false (rule: type)")
                .contains(
                        "netify-proc-intel.json: $.indicators.h.criteria.min_ports: not a"
                                + " criterion of driver 'host_scan'; its criteria are category,"
                                + " expression, failed_only, min_bytes, min_hosts, min_score,"
                                + " score, trigger_on_east_west, trigger_on_wan, window"
                                + " (rule: declared properties)")
                .contains(
                        "netify-proc-intel.json: $.indicators.h.data_feeds: driver 'host_scan'"
                                + " takes no data feeds (rule: feeds)")
                .contains(
                        "netify-proc-intel.json: $.indicators.u.criteria.factor: must be a"
                                + " whole number of 1 or more (rule: minimum)");
    }

    /** What Netify's file may say but Flowtap does not run is named as ignored, not refused. */
    @Test
    void flowActionsAndFlowMetadataAreWarnedAbout() throws Exception {
        Path config = config(tmp.resolve("config"), tmp.resolve("logs"), "192.0.2.1\n");
        Files.writeString(
                config.resolve("netify-proc-intel.json"),
                """
                {"indicator_defaults": {"sink": {"flow_metadata": "full"}},
                 "indicators": {"tor_relay": {"enabled": true, "indicator_driver": "tor_relay",
                                              "proc_targets": ["proc-nfa"]}},
                 "sink_targets": {"intel": {"sink": "sink-log", "channels": {"intel": {}}}}}
                """);
        assertThat(io.flowtap.config.ConfigLoader.load(config).warnings())
                .containsExactly(
                        "netify-proc-intel.json: $.indicator_defaults.sink.flow_metadata: ignored;"
                                + " flow_intel records carry the flow's digest, interface and"
                                + " internal flag only",
                        "netify-proc-intel.json: $.indicators.tor_relay.proc_targets: ignored;"
                                + " Flowtap runs no flow actions (its records go to the sink"
                                + " targets)");
    }
}
