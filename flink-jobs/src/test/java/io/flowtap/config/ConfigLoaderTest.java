package io.flowtap.config;

import io.flowtap.flow.InterfaceRole;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Configuration directories, valid and broken. Each broken one must be reported with its file, JSON
 * path and rule, as the expected strings below spell out.
 */
class ConfigLoaderTest {
    @TempDir Path dir;

    private static final String CORE =
            """
            {"format": "json", "compressor": "none",
             "sinks": {"sink-log": {"flows": {"types": ["stream-flows"]},
                                    "stats": {"enable": true, "types": ["stream-stats"]}}}}
            """;
    private static final String LOG =
            """
            {"overwrite": true, "log_path": "/var/log/flowtap",
             "channels": {"flows": {"log_name": "${uuid_agent}-${channel}"},
                          "stats": {"log_path": "${path_state_volatile}/stats",
                                    "log_name": "stats-", "overwrite": false}}}
            """;
    private static final String FLOWTAP =
            """
            {"uuid_agent": "A-1", "update_interval": 10, "ttl_idle_flow": 20,
             "interfaces": {"eth1": {"role": "wan"},
                            "lab": {"role": "lan", "local_networks": ["10.20.0.0/16"]}}}
            """;

    private void write(String name, String json) throws IOException {
        Files.writeString(dir.resolve(name), json);
    }

    private void validSet() throws IOException {
        write("netify-proc-core.json", CORE);
        write("netify-sink-log.json", LOG);
        write("flowtap.json", FLOWTAP);
    }

    private List<String> errors() {
        ConfigException e =
                catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir));
        assertThat(e).as("the configuration is rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void aValidDirectoryGivesRoutesChannelsAndSettings() throws Exception {
        validSet();
        Files.writeString(dir.resolve("README"), "notes");
        FlowtapConfig c = ConfigLoader.load(dir);
        assertThat(c.routes())
                .containsExactly(
                        new Route(
                                "sink-log",
                                "flows",
                                Set.of(
                                        "flow",
                                        "flow_dpi_update",
                                        "flow_dpi_complete",
                                        "flow_purge"),
                                "json",
                                "none"),
                        new Route(
                                "sink-log",
                                "stats",
                                Set.of(
                                        "flow_stats",
                                        "interface_stats",
                                        "global_stats",
                                        "endpoints"),
                                "json",
                                "none"));
        assertThat(c.logChannels().get("flows"))
                .isEqualTo(new LogChannel("flows", "/var/log/flowtap", "A-1-flows", true));
        assertThat(c.logChannels().get("stats"))
                .isEqualTo(new LogChannel("stats", "/var/run/flowtap/stats", "stats-", false));
        assertThat(c.flowSettings().updateIntervalMs()).isEqualTo(10_000);
        assertThat(c.flowSettings().ttlIdleFlowMs()).isEqualTo(20_000);
        assertThat(c.flowSettings().ttlIdleTcpFlowMs()).isEqualTo(300_000);
        assertThat(c.flowSettings().interfaceSettings("eth1").role()).isEqualTo(InterfaceRole.WAN);
        assertThat(c.flowSettings().interfaceSettings("eth0").role()).isEqualTo(InterfaceRole.LAN);
        assertThat(c.warnings()).containsExactly("README: not a configuration file, ignored");
    }

    @Test
    void theBundledExampleIsValid() throws Exception {
        for (String f : List.of("flowtap.json", "netify-proc-core.json", "netify-sink-log.json")) {
            try (InputStream in =
                    getClass().getResourceAsStream("/io/flowtap/config/example/" + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
        assertThat(ConfigLoader.load(dir).routes()).hasSize(2);
    }

    @Test
    void invalidJsonNamesLineAndColumn() throws Exception {
        validSet();
        write("netify-sink-log.json", "{\n  \"overwrite\": true,\n  \"log_path\" \"/tmp\"\n}");
        assertThat(errors())
                .singleElement()
                .asString()
                .startsWith("netify-sink-log.json: $: not valid JSON at line 3, column 14: ")
                .endsWith("(rule: JSON syntax)");
    }

    @Test
    void aWrongTypeIsReportedWithItsPath() throws Exception {
        validSet();
        write("netify-sink-log.json", LOG.replace("\"overwrite\": true", "\"overwrite\": \"yes\""));
        assertThat(errors())
                .containsExactly(
                        "netify-sink-log.json: $.overwrite: string found, boolean expected"
                                + " (rule: type)");
    }

    @Test
    void anEmptyLogNameBreaksMinLength() throws Exception {
        validSet();
        write("netify-sink-log.json", LOG.replace("\"stats-\"", "\"\""));
        assertThat(errors())
                .containsExactly(
                        "netify-sink-log.json: $.channels.stats.log_name: must be at least 1"
                                + " characters long (rule: minLength)");
    }

    @Test
    void aRouteWithoutTypesBreaksRequired() throws Exception {
        validSet();
        write("netify-proc-core.json", CORE.replace("\"types\": [\"stream-stats\"]", "\"x\": 1"));
        assertThat(errors())
                .contains(
                        "netify-proc-core.json: $.sinks.sink-log.stats: required property"
                                + " 'types' not found (rule: required)");
    }

    @Test
    void anUnknownTelemetryTypeBreaksEnum() throws Exception {
        validSet();
        write("netify-proc-core.json", CORE.replace("stream-stats", "stream-everything"));
        assertThat(errors())
                .containsExactly(
                        "netify-proc-core.json: $.sinks.sink-log.stats.types[0]: does not have a"
                                + " value in the enumeration [\"stream-flows\", \"stream-stats\"]"
                                + " (rule: enum)");
    }

    @Test
    void aMisspeltPropertyIsReported() throws Exception {
        validSet();
        write(
                "netify-sink-log.json",
                LOG.replace(
                        "\"log_name\": \"stats-\"", "\"log_name\": \"s\", \"log_nmae\": \"x\""));
        assertThat(errors())
                .containsExactly(
                        "netify-sink-log.json: $.channels.stats.log_nmae: not a property of this"
                                + " file's schema; misspelt? (rule: declared properties)");
    }

    @Test
    void aRouteToAMissingChannel() throws Exception {
        validSet();
        write("netify-proc-core.json", CORE.replace("\"stats\": {", "\"statistics\": {"));
        assertThat(errors())
                .containsExactly(
                        "netify-proc-core.json: $.sinks.sink-log.statistics: no enabled channel"
                            + " 'statistics' in netify-sink-log.json (rule: channel reference)");
    }

    @Test
    void anUnknownSinkAndUbus() throws Exception {
        validSet();
        write(
                "netify-proc-core.json",
                """
                {"sinks": {"sink-redis": {"x": {"types": ["stream-flows"]}},
                           "sink-ubus": {"y": {"types": ["stream-flows"]}}}}
                """);
        assertThat(errors())
                .containsExactly(
                        "netify-proc-core.json: $.sinks.sink-redis: unknown sink 'sink-redis';"
                                + " sinks are sink-http, sink-kafka, sink-log, sink-mqtt,"
                                + " sink-socket, sink-ubus (rule: known sink)",
                        "netify-proc-core.json: $.sinks.sink-ubus: ubus is OpenWrt's message bus"
                                + " and Flowtap does not run on OpenWrt; remove it"
                                + " (rule: unsupported sink)");
    }

    @Test
    void anUnknownVariable() throws Exception {
        validSet();
        write("netify-sink-log.json", LOG.replace("${uuid_agent}", "${agent_uuid}"));
        assertThat(errors())
                .containsExactly(
                        "netify-sink-log.json: $.channels.flows.log_name: unknown variable"
                            + " ${agent_uuid}; variables are ${channel}, ${path_state_persistent},"
                            + " ${path_state_volatile}, ${uuid_agent}, ${uuid_serial} (rule: known"
                            + " variable)");
    }

    @Test
    void aBadNetworkAndABadRole() throws Exception {
        validSet();
        write(
                "flowtap.json",
                FLOWTAP.replace("10.20.0.0/16", "10.20.0.0/33").replace("\"wan\"", "\"dmz\""));
        assertThat(errors())
                .containsExactly(
                        "flowtap.json: $.interfaces.eth1.role: does not have a value in the"
                                + " enumeration [\"lan\", \"wan\"] (rule: enum)");
        write("flowtap.json", FLOWTAP.replace("10.20.0.0/16", "10.20.0.0/33"));
        assertThat(errors())
                .containsExactly(
                        "flowtap.json: $.interfaces.lab.local_networks[0]: '10.20.0.0/33' is not"
                                + " a network in CIDR notation (rule: CIDR)");
    }

    @Test
    void aNegativeIntervalBreaksMinimum() throws Exception {
        validSet();
        write("flowtap.json", FLOWTAP.replace("\"update_interval\": 10", "\"update_interval\": 0"));
        assertThat(errors())
                .containsExactly(
                        "flowtap.json: $.update_interval: must have a minimum value of 1"
                                + " (rule: minimum)");
    }

    @Test
    void unknownAndMissingFiles() throws Exception {
        write("netify-sink-log.json", LOG);
        write("netify-sink-logs.json", LOG);
        List<String> errors = errors();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0))
                .startsWith("netify-sink-logs.json: $: unknown configuration file; known files are")
                .endsWith("(rule: known file)");
        assertThat(errors.get(1))
                .isEqualTo(
                        "netify-proc-core.json: $: missing: this file routes telemetry to sinks"
                                + " (rule: required file)");
    }

    @Test
    void aRouteToASinkWithoutItsFileUnlessDisabled() throws Exception {
        validSet();
        write(
                "netify-proc-core.json",
                """
                {"format": "msgpack", "compressor": "gz",
                 "sinks": {"sink-log": {"flows": {"types": ["stream-flows"], "format": "json"}},
                           "sink-mqtt": {"flows": {"types": ["stream-flows"]},
                                         "off": {"enable": false, "types": ["stream-flows"]}}}}
                """);
        assertThat(errors())
                .containsExactly(
                        "netify-proc-core.json: $.sinks.sink-mqtt.flows: routes to sink-mqtt but"
                                + " netify-sink-mqtt.json is missing (rule: sink file)");
    }

    @Test
    void channelsOverrideTheDefaultEncoding() throws Exception {
        validSet();
        write(
                "netify-proc-core.json",
                """
                {"format": "msgpack", "compressor": "gz",
                 "sinks": {"sink-log": {"flows": {"types": ["stream-flows"], "format": "json"},
                                        "stats": {"types": ["stream-stats"],
                                                  "compressor": "none"}}}}
                """);
        assertThat(ConfigLoader.load(dir).routes())
                .extracting(r -> r.channel() + " " + r.format() + " " + r.compressor())
                .containsExactly("flows json gz", "stats msgpack none");
    }

    @Test
    void notADirectory() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope")))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("nope: not a directory");
    }

    @Test
    void httpChannelsExpandTheirVariables() throws Exception {
        validSet();
        write(
                "netify-sink-http.json",
                """
                {"timeout_connect": 5,
                 "channels": {"flows": {"url": "https://sink.example/v1/${uuid_agent}/${channel}",
                                        "headers": {"X-UUID": "${uuid_agent}",
                                                    "X-UUID-Serial": "${uuid_serial}"},
                                        "timeout_transfer": 20}}}
                """);
        write(
                "netify-proc-core.json",
                CORE.replace(
                        "\"sink-log\": {",
                        "\"sink-http\": {\"flows\": {\"types\": [\"stream-flows\"]}}, \"sink-log\":"
                                + " {"));
        FlowtapConfig c = ConfigLoader.load(dir);
        assertThat(c.httpChannels().get("flows"))
                .isEqualTo(
                        new HttpChannel(
                                "flows",
                                "https://sink.example/v1/A-1/flows",
                                java.util.Map.of("X-UUID", "A-1", "X-UUID-Serial", "-"),
                                java.time.Duration.ofSeconds(5),
                                java.time.Duration.ofSeconds(20)));
        assertThat(c.routes()).extracting(Route::sink).contains("sink-http", "sink-log");
    }

    @Test
    void anHttpUrlBreaksItsPattern() throws Exception {
        validSet();
        write(
                "netify-sink-http.json",
                "{\"channels\": {\"flows\": {\"url\": \"ftp://x\", \"headers\": {}}}}");
        assertThat(errors())
                .singleElement()
                .asString()
                .startsWith(
                        "netify-sink-http.json: $.channels.flows.url: does not match the regex"
                                + " pattern")
                .endsWith("(rule: pattern)");
    }

    @Test
    void socketChannelsTakeTheDefaultPortAndRefuseSecureWebSockets() throws Exception {
        validSet();
        write(
                "netify-sink-socket.json",
                """
                {"default_port": 7150,
                 "channels": {"flows": {"bind_address": "tcp://127.0.0.1"},
                              "stats": {"bind_address": "unix://${path_state_volatile}/${channel}.sock"}}}
                """);
        FlowtapConfig c = ConfigLoader.load(dir);
        assertThat(c.socketChannels().get("flows").bindAddress()).isEqualTo("tcp://127.0.0.1:7150");
        assertThat(c.socketChannels().get("stats").bindAddress())
                .isEqualTo("unix:///var/run/flowtap/stats.sock");
        write(
                "netify-sink-socket.json",
                "{\"default_port\": 7150, \"channels\": {\"live\": {\"bind_address\":"
                    + " \"ws://0.0.0.0/\"}, \"tls\": {\"bind_address\": \"wss://0.0.0.0:443\"}}}");
        assertThat(errors())
                .containsExactly(
                        "netify-sink-socket.json: $.channels.tls.bind_address: wss://0.0.0.0:443:"
                                + " wss:// is not served; serve ws:// on loopback and let a TLS"
                                + " proxy (nginx, HAProxy) terminate TLS in front of it"
                                + " (rule: supported socket)");
        write(
                "netify-sink-socket.json",
                "{\"default_port\": 7150, \"channels\": {\"live\": {\"bind_address\":"
                        + " \"ws://0.0.0.0/\"}}}");
        assertThat(ConfigLoader.load(dir).socketChannels().get("live").bindAddress())
                .isEqualTo("ws://0.0.0.0:7150");
    }

    @Test
    void mqttRoutesPublishToTheirChannelsTopic() throws Exception {
        validSet();
        write(
                "netify-sink-mqtt.json",
                """
                {"host": "broker.example", "port": 8883, "user": "agent", "pass": "s3cret",
                 "topic": "netify/${uuid_agent}/${channel}", "message_qos": 2}
                """);
        write(
                "netify-proc-core.json",
                CORE.replace(
                        "\"sink-log\": {",
                        "\"sink-mqtt\": {\"aggregate\": {\"types\": [\"stream-stats\"]}},"
                                + " \"sink-log\": {"));
        FlowtapConfig c = ConfigLoader.load(dir);
        assertThat(c.routes())
                .filteredOn(r -> r.sink().equals("sink-mqtt"))
                .singleElement()
                .extracting(Route::topic)
                .isEqualTo("netify/A-1/aggregate");
        assertThat(c.mqtt().qos()).isEqualTo(2);
        assertThat(c.mqtt().toString()).doesNotContain("s3cret");
    }

    private static final String KAFKA =
            """
            {"bootstrap_servers": "k1:9092,k2:9092",
             "properties": {"security.protocol": "SASL_SSL",
                            "sasl.jaas.config": "PlainLoginModule required password=\\"p4ss\\";"},
             "channels": {"flows": {"topic": "netify.${uuid_agent}.${channel}"},
                          "old": {"enable": false, "topic": "x"}}}
            """;

    @Test
    void kafkaChannelsNameTheirTopicsAndDeliverExactlyOnceByDefault() throws Exception {
        validSet();
        write("flowtap-sink-kafka.json", KAFKA);
        write(
                "netify-proc-core.json",
                CORE.replace(
                        "\"sink-log\": {",
                        "\"sink-kafka\": {\"flows\": {\"types\": [\"stream-flows\"],"
                                + " \"format\": \"msgpack\"}}, \"sink-log\": {"));
        FlowtapConfig c = ConfigLoader.load(dir);
        assertThat(c.kafka().topics())
                .containsExactly(java.util.Map.entry("flows", "netify.A-1.flows"));
        assertThat(c.kafka().exactlyOnce()).isTrue();
        assertThat(c.kafka().transactionalIdPrefix()).isEqualTo("flowtap-A-1");
        assertThat(c.kafka().transactionTimeout()).hasSeconds(900);
        assertThat(c.kafka().toString()).doesNotContain("p4ss");
        assertThat(c.routes())
                .filteredOn(r -> r.sink().equals("sink-kafka"))
                .singleElement()
                .satisfies(r -> assertThat(r.format()).isEqualTo("msgpack"));
    }

    @Test
    void kafkaMistakes() throws Exception {
        validSet();
        write(
                "netify-proc-core.json",
                CORE.replace(
                        "\"sink-log\": {",
                        "\"sink-kafka\": {\"flows\": {\"types\": [\"stream-flows\"]}},"
                                + " \"sink-log\": {"));
        assertThat(errors())
                .containsExactly(
                        "netify-proc-core.json: $.sinks.sink-kafka.flows: routes to sink-kafka but"
                                + " flowtap-sink-kafka.json is missing (rule: sink file)");
        write(
                "flowtap-sink-kafka.json",
                """
                {"bootstrap_servers": "k1:9092", "transactional_id_prefix": "ft-${channel}",
                 "properties": {"bootstrap.servers": "other:9092"},
                 "channels": {"stats": {"topic": "t"}}}
                """);
        assertThat(errors())
                .containsExactlyInAnyOrder(
                        "flowtap-sink-kafka.json: $.transactional_id_prefix: ${channel} has a value"
                                + " only in a channel's settings (rule: known variable)",
                        "flowtap-sink-kafka.json: $.properties.bootstrap.servers: set by this"
                                + " file's own settings, not as a producer property (rule: owned"
                                + " property)",
                        "netify-proc-core.json: $.sinks.sink-kafka.flows: no enabled channel"
                                + " 'flows' in flowtap-sink-kafka.json (rule: channel reference)");
        write(
                "flowtap-sink-kafka.json",
                "{\"bootstrap_servers\": \"k1\", \"delivery\": \"exactly-twice\","
                        + " \"channels\": {\"flows\": {}}}");
        assertThat(errors())
                .anyMatch(
                        e ->
                                e.startsWith(
                                                "flowtap-sink-kafka.json: $.bootstrap_servers: does"
                                                        + " not match the regex pattern")
                                        && e.endsWith("(rule: pattern)"))
                .anyMatch(
                        e ->
                                e.startsWith(
                                                "flowtap-sink-kafka.json: $.delivery: does not have"
                                                        + " a value in the enumeration")
                                        && e.endsWith("(rule: enum)"))
                .anyMatch(
                        e ->
                                e.startsWith(
                                                "flowtap-sink-kafka.json: $.channels.flows:"
                                                        + " required property 'topic' not found")
                                        && e.endsWith("(rule: required)"));
    }

    @Test
    void parquetDatasetsAreConfiguredNotRouted() throws Exception {
        validSet();
        write(
                "flowtap-sink-parquet.json",
                "{\"path\": \"${path_state_persistent}/lake\", \"datasets\": {\"flows\":"
                        + " {\"enable\": false}}}");
        FlowtapConfig c = ConfigLoader.load(dir);
        assertThat(c.parquet())
                .isEqualTo(new ParquetConfig("/etc/flowtap/lake", false, true, true));
        write(
                "netify-proc-core.json",
                CORE.replace(
                        "\"sink-log\": {",
                        "\"sink-parquet\": {\"flows\": {\"types\": [\"stream-flows\"]}},"
                                + " \"sink-log\": {"));
        assertThat(errors())
                .containsExactly(
                        "netify-proc-core.json: $.sinks.sink-parquet: Parquet datasets are not"
                                + " routed by record type; configure them in"
                                + " flowtap-sink-parquet.json (rule: known sink)");
        write("flowtap-sink-parquet.json", "{\"path\": \"/lake\", \"datasets\": {\"flow\": {}}}");
        assertThat(errors())
                .containsExactly(
                        "flowtap-sink-parquet.json: $.datasets.flow: not a property of this"
                                + " file's schema; misspelt? (rule: declared properties)");
    }

    @Test
    void detectionBudgetAndMqttTls() throws Exception {
        validSet();
        write("flowtap.json", "{\"max_detection_pkts\": 8}");
        assertThat(ConfigLoader.load(dir).flowSettings().maxDetectionPackets()).isEqualTo(8);
        write(
                "flowtap.json",
                "{\"max_detection_pkts\": 0, \"mqtt_tls\": {\"ca_file\":"
                        + " \"/nonexistent/ca.pem\"}}");
        write(
                "netify-sink-mqtt.json",
                "{\"host\": \"b\", \"user\": \"\", \"pass\": \"\", \"topic\": \"t\"}");
        assertThat(errors())
                .containsExactly(
                        "flowtap.json: $.max_detection_pkts: must have a minimum value of 1"
                                + " (rule: minimum)");
        write("flowtap.json", "{\"mqtt_tls\": {\"ca_file\": \"${path_state_persistent}/ca.pem\"}}");
        assertThat(errors())
                .containsExactly(
                        "flowtap.json: $.mqtt_tls.ca_file: '/etc/flowtap/ca.pem' is not a readable"
                                + " file (rule: readable file)");
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----");
        write(
                "flowtap.json",
                "{\"mqtt_tls\": {\"ca_file\": \"" + ca + "\", \"verify_hostname\": false}}");
        assertThat(ConfigLoader.load(dir).mqtt().tls())
                .isEqualTo(new MqttConfig.Tls(ca.toString(), false));
    }
}
