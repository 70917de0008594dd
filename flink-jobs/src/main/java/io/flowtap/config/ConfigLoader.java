package io.flowtap.config;

import io.flowtap.aggregate.AggregatorSpec;
import io.flowtap.aggregate.AggregatorType;
import io.flowtap.capture.flow.NetworkSet;
import io.flowtap.connectors.socket.SocketSink;
import io.flowtap.expr.Criteria;
import io.flowtap.expr.Expression;
import io.flowtap.expr.ExpressionException;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.InterfaceRole;
import io.flowtap.flow.InterfaceSettings;
import io.flowtap.intel.Feed;
import io.flowtap.intel.FeedException;
import io.flowtap.intel.Indicator;
import io.flowtap.intel.IntelDriver;
import io.flowtap.intel.IntelEvent;
import io.flowtap.schemas.NetifySchemas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a configuration directory: Netify's plugin files as they are, and Flowtap's own {@code
 * flowtap.json}. Every file is checked against its JSON Schema, then against the others (a route
 * names a channel that exists, variables are known), and every mistake is reported with its file,
 * JSON path and rule, before anything runs.
 */
public final class ConfigLoader {
    public static final String CORE = "netify-proc-core.json";
    public static final String LOG = "netify-sink-log.json";
    public static final String MQTT = "netify-sink-mqtt.json";
    public static final String HTTP = "netify-sink-http.json";
    public static final String SOCKET = "netify-sink-socket.json";
    public static final String UBUS = "netify-sink-ubus.json";
    public static final String FLOWTAP = "flowtap.json";
    public static final String KAFKA = "flowtap-sink-kafka.json";
    public static final String PARQUET = "flowtap-sink-parquet.json";
    public static final String AGGREGATOR = "netify-proc-aggregator.json";
    public static final String INTEL = "netify-proc-intel.json";

    /** The criteria an indicator may have. */
    private static final Set<String> CRITERIA =
            Set.of(
                    "min_bytes",
                    "min_score",
                    "trigger_on_east_west",
                    "trigger_on_wan",
                    "expression",
                    "score",
                    "category");

    /** Where the data feeds of the intelligence indicators are: {@code feeds/<name>.txt}. */
    public static final String FEEDS_DIR = "feeds";

    /** Aggregator instances: one file each, {@code netify-proc-aggregator[-<name>].json}. */
    private static final Pattern AGGREGATOR_FILE =
            Pattern.compile("netify-proc-aggregator(-[A-Za-z0-9_]+)?\\.json");

    /** The record types each telemetry type of the core processor carries. */
    public static final Map<String, Set<String>> RECORD_TYPES =
            Map.of(
                    "stream-flows",
                    Set.of("flow", "flow_dpi_update", "flow_dpi_complete", "flow_purge"),
                    "stream-stats",
                    Set.of("flow_stats", "interface_stats", "global_stats", "endpoints"));

    /** Files read and checked, by name, in the order they are reported. */
    private static final List<String> CHECKED =
            List.of(
                    FLOWTAP,
                    KAFKA,
                    PARQUET,
                    CORE,
                    LOG,
                    MQTT,
                    HTTP,
                    SOCKET,
                    UBUS,
                    "netify-proc-aggregator.json",
                    "netify-proc-intel.json",
                    "netify-proc-dev-discovery.json",
                    "netify-proc-lua.json",
                    "netify-proc-python.json");

    /** Files that are checked but not acted on, and why. */
    private static final Map<String, String> NOT_APPLIED =
            Map.of(
                    "netify-proc-dev-discovery.json",
                    "checked and ignored: device discovery reports to Netify's cloud",
                    "netify-proc-lua.json",
                    "checked and ignored: Flowtap runs no Lua processors",
                    "netify-proc-python.json",
                    "checked and ignored: Flowtap runs no Python processors");

    /** Sinks a route may name, and the file that configures each. */
    private static final Map<String, String> SINK_FILES =
            Map.of(
                    "sink-log", LOG,
                    "sink-mqtt", MQTT,
                    "sink-http", HTTP,
                    "sink-socket", SOCKET,
                    "sink-kafka", KAFKA,
                    "sink-ubus", UBUS);

    private static final Set<String> AVAILABLE_SINKS =
            Set.of("sink-log", "sink-http", "sink-socket", "sink-mqtt", "sink-kafka");
    private static final Set<String> VARIABLES =
            Set.of(
                    "uuid_agent",
                    "uuid_serial",
                    "channel",
                    "path_state_persistent",
                    "path_state_volatile");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final String UBUS_MESSAGE =
            "ubus is OpenWrt's message bus and Flowtap does not run on OpenWrt; remove it"
                    + " (rule: unsupported sink)";

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, JsonNode> documents = new TreeMap<>();
    private final Map<String, String> variables = new LinkedHashMap<>();

    private ConfigLoader() {}

    /**
     * Reads and checks {@code dir}.
     *
     * @throws ConfigException listing every mistake found
     * @throws IOException when the directory or a file cannot be read
     */
    public static FlowtapConfig load(Path dir) throws IOException, ConfigException {
        return new ConfigLoader().read(dir);
    }

    private FlowtapConfig read(Path dir) throws IOException, ConfigException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!name.endsWith(".json")) {
                warnings.add(name + ": not a configuration file, ignored");
            } else if (AGGREGATOR_FILE.matcher(name).matches()) {
                parseAndValidate(f, name, AGGREGATOR);
            } else if (!CHECKED.contains(name)) {
                error(
                        name,
                        "$",
                        "unknown configuration file; known files are "
                                + String.join(", ", CHECKED)
                                + " (rule: known file)");
            } else {
                parseAndValidate(f, name, name);
            }
        }
        if (documents.containsKey(UBUS)) {
            error(UBUS, "$", UBUS_MESSAGE);
        }
        if (!documents.containsKey(CORE) && errors.stream().noneMatch(e -> e.file().equals(CORE))) {
            error(CORE, "$", "missing: this file routes telemetry to sinks (rule: required file)");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        NOT_APPLIED.forEach(
                (file, why) -> {
                    if (documents.containsKey(file)) {
                        warnings.add(file + ": " + why);
                    }
                });

        JsonNode settings = documents.getOrDefault(FLOWTAP, mapper.createObjectNode());
        variables.put("uuid_agent", settings.path("uuid_agent").asText("00-00-00-00"));
        variables.put("uuid_serial", settings.path("uuid_serial").asText("-"));
        variables.put(
                "path_state_persistent",
                settings.path("path_state_persistent").asText("/etc/flowtap"));
        variables.put(
                "path_state_volatile",
                settings.path("path_state_volatile").asText("/var/run/flowtap"));
        FlowSettings flow = flowSettings(settings);
        Map<String, LogChannel> logChannels = logChannels(documents.get(LOG));
        Map<String, HttpChannel> httpChannels = httpChannels(documents.get(HTTP));
        Map<String, SocketChannelConfig> socketChannels = socketChannels(documents.get(SOCKET));
        KafkaConfig kafka = kafka(documents.get(KAFKA));
        MqttConfig mqtt = mqtt(documents.get(MQTT), settings.get("mqtt_tls"));
        ParquetConfig parquet = parquet(documents.get(PARQUET));
        Map<String, Set<String>> channelsBySink =
                Map.of(
                        "sink-log",
                        logChannels.keySet(),
                        "sink-http",
                        httpChannels.keySet(),
                        "sink-socket",
                        socketChannels.keySet(),
                        "sink-kafka",
                        kafka == null ? Set.of() : kafka.topics().keySet());
        List<Route> routes = routes(documents.get(CORE), channelsBySink);
        List<AggregatorSpec> aggregators = new ArrayList<>();
        for (Map.Entry<String, JsonNode> d : documents.entrySet()) {
            if (AGGREGATOR_FILE.matcher(d.getKey()).matches()) {
                AggregatorSpec spec = aggregator(d.getKey(), d.getValue(), flow, channelsBySink);
                if (spec != null) {
                    aggregators.add(spec);
                    routes.addAll(
                            routes(
                                    d.getKey(),
                                    d.getValue(),
                                    channelsBySink,
                                    c -> Set.of(spec.recordType())));
                }
            }
        }
        List<Indicator> indicators =
                documents.containsKey(INTEL)
                        ? indicators(
                                dir,
                                documents.get(INTEL),
                                flow.updateIntervalMs() / 1000,
                                channelsBySink,
                                routes)
                        : List.of();
        if (!indicators.isEmpty()) {
            flow = flow.toBuilder().indicators(indicators).build();
        }
        channelsBySink.forEach(
                (sink, channels) -> {
                    for (String channel : channels) {
                        if (routes.stream()
                                .noneMatch(
                                        r ->
                                                r.sink().equals(sink)
                                                        && r.channel().equals(channel))) {
                            warnings.add(
                                    SINK_FILES.get(sink)
                                            + ": channel '"
                                            + channel
                                            + "' receives nothing: no enabled route to it");
                        }
                    }
                });
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new FlowtapConfig(
                dir,
                flow,
                merged(routes),
                logChannels,
                httpChannels,
                socketChannels,
                mqtt,
                kafka,
                parquet,
                List.copyOf(aggregators),
                List.copyOf(warnings),
                Duration.ofSeconds(settings.path("feed_poll_interval").asLong(10)));
    }

    private void parseAndValidate(Path file, String name, String schema) throws IOException {
        JsonNode doc;
        try {
            doc = mapper.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            error(
                    name,
                    "$",
                    "not valid JSON at line "
                            + (at == null ? "?" : at.getLineNr())
                            + ", column "
                            + (at == null ? "?" : at.getColumnNr())
                            + ": "
                            + e.getOriginalMessage()
                            + " (rule: JSON syntax)");
            return;
        }
        if (doc == null || doc.isMissingNode()) {
            error(name, "$", "empty file; it must hold a JSON object (rule: type)");
            return;
        }
        int before = errors.size();
        List<String> undeclared = NetifySchemas.undeclaredProperties(schema, doc);
        for (NetifySchemas.Violation v : NetifySchemas.violations(schema, doc)) {
            if (v.keyword().equals("additionalProperties") && !undeclared.isEmpty()) {
                continue; // reported below, with the property's own path
            }
            if (name.equals(HTTP) && v.keyword().equals("pattern") && urlWithPort(doc, v.path())) {
                continue;
            }
            // Netify's schema says criteria is an object; its own example gives an array of
            // expressions. Both are taken.
            if (schema.equals(AGGREGATOR)
                    && v.path().equals("$.criteria")
                    && v.keyword().equals("type")
                    && doc.path("criteria").isArray()) {
                continue;
            }
            error(name, v.path(), v.message() + " (rule: " + v.keyword() + ")");
        }
        for (String path : undeclared) {
            error(
                    name,
                    path,
                    "not a property of this file's schema; misspelt? (rule: declared properties)");
        }
        if (errors.size() == before) {
            documents.put(name, doc);
        }
    }

    /**
     * Netify's URL pattern leaves out the ':' of a port (and of IPv6 literals); Flowtap accepts a
     * URL that the pattern would take but for a port.
     */
    private static boolean urlWithPort(JsonNode doc, String path) {
        if (!path.matches("\\$\\.channels\\.[^.]+\\.url")) {
            return false;
        }
        String url = doc.at(path.substring(1).replace('.', '/')).asText();
        return url.matches("^https?://[a-zA-Z0-9.\\-_${}]+:[0-9]{1,5}(/[a-zA-Z0-9.\\-_/${}]*)?$");
    }

    private FlowSettings flowSettings(JsonNode s) {
        FlowSettings.Builder b =
                FlowSettings.builder()
                        .updateInterval(Duration.ofSeconds(s.path("update_interval").asLong(15)))
                        .ttlIdleFlow(Duration.ofSeconds(s.path("ttl_idle_flow").asLong(30)))
                        .ttlIdleTcpFlow(Duration.ofSeconds(s.path("ttl_idle_tcp_flow").asLong(300)))
                        .maxDetectionPackets(
                                s.path("max_detection_pkts")
                                        .asInt(FlowSettings.DEFAULT_MAX_DETECTION_PACKETS));
        if (s.has("default_interface")) {
            InterfaceSettings d =
                    interfaceSettings(s.get("default_interface"), "$.default_interface");
            if (d != null) {
                b.defaultInterface(d);
            }
        }
        Iterator<Map.Entry<String, JsonNode>> it = s.path("interfaces").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            InterfaceSettings i = interfaceSettings(e.getValue(), "$.interfaces." + e.getKey());
            if (i != null) {
                b.putInterface(e.getKey(), i);
            }
        }
        return b.build();
    }

    private InterfaceSettings interfaceSettings(JsonNode node, String path) {
        InterfaceRole role = InterfaceRole.parse(node.get("role").asText());
        if (!node.has("local_networks")) {
            return InterfaceSettings.defaults(role);
        }
        List<String> cidrs = new ArrayList<>();
        for (int i = 0; i < node.get("local_networks").size(); i++) {
            String cidr = node.get("local_networks").get(i).asText();
            try {
                NetworkSet.of(List.of(cidr));
                cidrs.add(cidr);
            } catch (IllegalArgumentException e) {
                error(
                        FLOWTAP,
                        path + ".local_networks[" + i + "]",
                        "'" + cidr + "' is not a network in CIDR notation (rule: CIDR)");
            }
        }
        return new InterfaceSettings(role, NetworkSet.of(cidrs));
    }

    private Map<String, LogChannel> logChannels(JsonNode log) {
        Map<String, LogChannel> out = new LinkedHashMap<>();
        if (log == null) {
            return out;
        }
        boolean overwrite = log.path("overwrite").asBoolean(false);
        String logPath = log.path("log_path").asText("/tmp");
        for (Map.Entry<String, JsonNode> e : enabledChannels(log)) {
            JsonNode c = e.getValue();
            String path = "$.channels." + e.getKey();
            String dir =
                    expand(
                            c.has("log_path") ? c.get("log_path").asText() : logPath,
                            e.getKey(),
                            LOG,
                            c.has("log_path") ? path + ".log_path" : "$.log_path");
            String name = expand(c.get("log_name").asText(), e.getKey(), LOG, path + ".log_name");
            out.put(
                    e.getKey(),
                    new LogChannel(
                            e.getKey(), dir, name, c.path("overwrite").asBoolean(overwrite)));
        }
        return out;
    }

    /** The channels of a sink file that are not switched off ({@code "enable": false}). */
    private static List<Map.Entry<String, JsonNode>> enabledChannels(JsonNode sinkFile) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        sinkFile.path("channels")
                .fields()
                .forEachRemaining(
                        e -> {
                            if (e.getValue().path("enable").asBoolean(true)) {
                                out.add(e);
                            }
                        });
        return out;
    }

    private Map<String, HttpChannel> httpChannels(JsonNode http) {
        Map<String, HttpChannel> out = new LinkedHashMap<>();
        if (http == null) {
            return out;
        }
        long connect = http.path("timeout_connect").asLong(30);
        long transfer = http.path("timeout_transfer").asLong(300);
        for (Map.Entry<String, JsonNode> e : enabledChannels(http)) {
            JsonNode c = e.getValue();
            String path = "$.channels." + e.getKey();
            String url = expand(c.get("url").asText(), e.getKey(), HTTP, path + ".url");
            Map<String, String> headers = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> h = c.path("headers").fields();
            while (h.hasNext()) {
                Map.Entry<String, JsonNode> header = h.next();
                headers.put(
                        header.getKey(),
                        expand(
                                header.getValue().asText(),
                                e.getKey(),
                                HTTP,
                                path + ".headers." + header.getKey()));
            }
            long ct = c.path("timeout_connect").asLong(connect);
            long tt = c.path("timeout_transfer").asLong(transfer);
            if (ct < 1 || tt < 1) {
                error(HTTP, path, "timeouts must be at least 1 second (rule: minimum)");
                continue;
            }
            out.put(
                    e.getKey(),
                    new HttpChannel(
                            e.getKey(),
                            url,
                            headers,
                            Duration.ofSeconds(ct),
                            Duration.ofSeconds(tt)));
        }
        return out;
    }

    private MqttConfig mqtt(JsonNode m, JsonNode tls) {
        if (m == null) {
            if (tls != null) {
                warnings.add(FLOWTAP + ": mqtt_tls is set but there is no " + MQTT);
            }
            return null;
        }
        MqttConfig.Tls t = null;
        if (tls != null) {
            String ca = null;
            if (tls.has("ca_file")) {
                ca = expand(tls.get("ca_file").asText(), null, FLOWTAP, "$.mqtt_tls.ca_file");
                if (!Files.isReadable(Path.of(ca))) {
                    error(
                            FLOWTAP,
                            "$.mqtt_tls.ca_file",
                            "'" + ca + "' is not a readable file (rule: readable file)");
                }
            }
            t = new MqttConfig.Tls(ca, tls.path("verify_hostname").asBoolean(true));
        }
        return new MqttConfig(
                m.get("host").asText(),
                m.path("port").asInt(1883),
                m.get("user").asText(),
                m.get("pass").asText(),
                m.get("topic").asText(),
                m.path("message_qos").asInt(1),
                m.path("message_retain").asBoolean(false),
                t);
    }

    private KafkaConfig kafka(JsonNode k) {
        if (k == null) {
            return null;
        }
        Map<String, String> topics = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : enabledChannels(k)) {
            String path = "$.channels." + e.getKey() + ".topic";
            String topic = expand(e.getValue().get("topic").asText(), e.getKey(), KAFKA, path);
            if (topic.equals(".") || topic.equals("..") || topic.length() > 249) {
                error(KAFKA, path, "'" + topic + "' is not a valid topic name (rule: Kafka topic)");
            }
            topics.put(e.getKey(), topic);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        k.path("properties")
                .fields()
                .forEachRemaining(p -> properties.put(p.getKey(), p.getValue().asText()));
        for (String owned :
                List.of("bootstrap.servers", "transactional.id", "transaction.timeout.ms")) {
            if (properties.containsKey(owned)) {
                error(
                        KAFKA,
                        "$.properties." + owned,
                        "set by this file's own settings, not as a producer property"
                                + " (rule: owned property)");
            }
        }
        return new KafkaConfig(
                k.get("bootstrap_servers").asText(),
                !k.path("delivery").asText("exactly-once").equals("at-least-once"),
                expand(
                        k.path("transactional_id_prefix").asText("flowtap-${uuid_agent}"),
                        null,
                        KAFKA,
                        "$.transactional_id_prefix"),
                Duration.ofSeconds(k.path("transaction_timeout").asLong(900)),
                properties,
                topics);
    }

    private ParquetConfig parquet(JsonNode p) {
        if (p == null) {
            return null;
        }
        return new ParquetConfig(
                expand(p.get("path").asText(), null, PARQUET, "$.path"),
                p.path("datasets").path("flows").path("enable").asBoolean(true),
                p.path("datasets").path("aggregates").path("enable").asBoolean(true),
                p.path("datasets").path("intel").path("enable").asBoolean(true));
    }

    private Map<String, SocketChannelConfig> socketChannels(JsonNode socket) {
        Map<String, SocketChannelConfig> out = new LinkedHashMap<>();
        if (socket == null) {
            return out;
        }
        for (Map.Entry<String, JsonNode> e : enabledChannels(socket)) {
            JsonNode c = e.getValue();
            String path = "$.channels." + e.getKey() + ".bind_address";
            String address = expand(c.get("bind_address").asText(), e.getKey(), SOCKET, path);
            // The default port completes an address that names a host but no port.
            if (socket.has("default_port") && address.matches("^(tcp|udp|ws|wss)://[^:/]+/?$")) {
                address = address.replaceAll("/$", "") + ":" + socket.get("default_port").asInt();
            }
            try {
                SocketSink.builder().setAddress(address).build();
            } catch (IllegalArgumentException bad) {
                error(SOCKET, path, bad.getMessage() + " (rule: supported socket)");
                continue;
            }
            out.put(e.getKey(), new SocketChannelConfig(e.getKey(), address));
        }
        return out;
    }

    /**
     * One route per sink channel: a channel has one writer, so the record types that several
     * processors (core, aggregators, indicators) route to it are merged into the first route's.
     */
    private static List<Route> merged(List<Route> routes) {
        Map<String, Route> byChannel = new LinkedHashMap<>();
        for (Route r : routes) {
            byChannel.merge(
                    r.sink() + "\u0000" + r.channel(),
                    r,
                    (a, b) -> {
                        Set<String> types = null;
                        if (a.recordTypes() != null && b.recordTypes() != null) {
                            types = new TreeSet<>(a.recordTypes());
                            types.addAll(b.recordTypes());
                            types = Set.copyOf(types);
                        }
                        return new Route(
                                a.sink(),
                                a.channel(),
                                types,
                                a.format(),
                                a.compressor(),
                                a.topic());
                    });
        }
        return List.copyOf(byChannel.values());
    }

    private List<Route> routes(JsonNode core, Map<String, Set<String>> channelsBySink) {
        return routes(
                CORE,
                core,
                channelsBySink,
                c -> {
                    Set<String> types = new LinkedHashSet<>();
                    for (JsonNode t : c.get("types")) {
                        types.addAll(RECORD_TYPES.get(t.asText()));
                    }
                    return Set.copyOf(types);
                });
    }

    /**
     * The enabled routes of a processor file's {@code sinks}, with the file's default format and
     * compressor and each route's record types.
     */
    private List<Route> routes(
            String file,
            JsonNode processor,
            Map<String, Set<String>> channelsBySink,
            java.util.function.Function<JsonNode, Set<String>> recordTypes) {
        List<Route> out = new ArrayList<>();
        String format = processor.path("format").asText("json");
        String compressor = processor.path("compressor").asText("none");
        Iterator<Map.Entry<String, JsonNode>> sinks = processor.path("sinks").fields();
        while (sinks.hasNext()) {
            Map.Entry<String, JsonNode> sink = sinks.next();
            Iterator<Map.Entry<String, JsonNode>> channels = sink.getValue().fields();
            while (channels.hasNext()) {
                Map.Entry<String, JsonNode> ch = channels.next();
                JsonNode c = ch.getValue();
                String path = "$.sinks." + sink.getKey() + "." + ch.getKey();
                if (!c.path("enable").asBoolean(true)
                        || !checkSink(file, sink.getKey(), ch.getKey(), path, channelsBySink)) {
                    continue;
                }
                String topic = mqttTopic(sink.getKey(), ch.getKey());
                out.add(
                        new Route(
                                sink.getKey(),
                                ch.getKey(),
                                recordTypes.apply(c),
                                c.path("format").asText(format),
                                c.path("compressor").asText(compressor),
                                topic));
            }
        }
        return out;
    }

    /** An aggregator instance from its file; null (with errors) when it cannot run. */
    private AggregatorSpec aggregator(
            String file, JsonNode a, FlowSettings flow, Map<String, Set<String>> channelsBySink) {
        int before = errors.size();
        int number = a.get("aggregator").asInt();
        if (number < 1 || number > 4) {
            error(file, "$.aggregator", "aggregator types are 1, 2, 3 and 4 (rule: enum)");
        }
        long interval = a.get("log_interval").asLong();
        long update = flow.updateIntervalMs() / 1000;
        if (interval < 1 || interval % update != 0) {
            error(
                    file,
                    "$.log_interval",
                    interval
                            + " s is not a multiple of the update interval ("
                            + update
                            + " s, flowtap.json's update_interval): interval totals are summed"
                            + " from whole update intervals (rule: multiple of update_interval)");
        }
        if (a.get("batched_rows").asInt() < 0) {
            error(file, "$.batched_rows", "must be 0 (no limit) or more (rule: minimum)");
        }
        if (number == 4 && a.get("nested").asBoolean()) {
            error(file, "$.nested", "Type 4 payloads are flat only (rule: flat only)");
        }
        List<String> expressions = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        JsonNode c = a.path("criteria");
        if (c.isArray()) {
            criteria(file, c, "$.criteria", expressions, paths);
        } else if (c.isObject()) {
            c.fields()
                    .forEachRemaining(
                            e ->
                                    criteria(
                                            file,
                                            e.getValue(),
                                            "$.criteria." + e.getKey(),
                                            expressions,
                                            paths));
        }
        Criteria criteria = compile(file, expressions, paths);
        if (errors.size() > before) {
            return null;
        }
        String name =
                file.substring(0, file.length() - ".json".length()).replace("netify-proc-", "");
        return new AggregatorSpec(
                name,
                AggregatorType.of(number),
                interval * 1000,
                a.get("privacy_mode").asBoolean(),
                a.get("nested").asBoolean(),
                a.get("batched_rows").asInt(),
                criteria);
    }

    /**
     * The enabled indicators of {@code netify-proc-intel.json}, with their feeds read from {@code
     * feeds/}, and a route per indicator and channel of its sink targets (all top-level targets
     * when it names none) added to {@code routes}.
     */
    private List<Indicator> indicators(
            Path dir,
            JsonNode intel,
            long updateIntervalS,
            Map<String, Set<String>> channelsBySink,
            List<Route> routes) {
        EnumSet<IntelEvent> defaultEvents = EnumSet.of(IntelEvent.DPI_COMPLETE);
        JsonNode filter = intel.path("indicator_defaults").path("event_filter");
        if (filter.isArray() && !filter.isEmpty()) {
            defaultEvents = EnumSet.noneOf(IntelEvent.class);
            for (JsonNode e : filter) {
                defaultEvents.add(IntelEvent.of(e.asText()));
            }
        }
        Map<String, Feed> feeds = new TreeMap<>();
        if (intel.path("indicator_defaults").path("sink").has("flow_metadata")) {
            warnings.add(
                    INTEL
                            + ": $.indicator_defaults.sink.flow_metadata: ignored; flow_intel"
                            + " records carry the flow's digest, interface and internal flag only");
        }
        List<Indicator> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = intel.path("indicators").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode ind = e.getValue();
            String path = "$.indicators." + name;
            if (!ind.path("enabled").asBoolean(true)) {
                continue;
            }
            if (!ind.path("proc_targets").isEmpty()) {
                warnings.add(
                        INTEL
                                + ": "
                                + path
                                + ".proc_targets: ignored; Flowtap runs no flow actions (its"
                                + " records go to the sink targets)");
            }
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                error(
                        INTEL,
                        path,
                        "an indicator's name is letters, digits, '_', '.' and '-'"
                                + " (rule: name)");
                continue;
            }
            String driverName = ind.path("indicator_driver").asText();
            IntelDriver driver = IntelDriver.byTag().get(driverName);
            if (driver == null) {
                error(
                        INTEL,
                        path + ".indicator_driver",
                        "unknown driver '"
                                + driverName
                                + "'; drivers are "
                                + String.join(", ", IntelDriver.byTag().keySet())
                                + " (rule: driver)");
                continue;
            }
            JsonNode c = ind.path("criteria");
            // Netify's schema leaves criteria free-form: Flowtap checks the keys it knows.
            c.fieldNames()
                    .forEachRemaining(
                            k -> {
                                if (!CRITERIA.contains(k) && !driver.criteria().containsKey(k)) {
                                    Set<String> known = new TreeSet<>(CRITERIA);
                                    known.addAll(driver.criteria().keySet());
                                    error(
                                            INTEL,
                                            path + ".criteria." + k,
                                            "not a criterion of driver '"
                                                    + driverName
                                                    + "'; its criteria are "
                                                    + String.join(", ", known)
                                                    + " (rule: declared properties)");
                                }
                            });
            Map<String, Object> driverCriteria =
                    driverCriteria(driver, c, path + ".criteria", updateIntervalS);
            Criteria expression = Criteria.ALL;
            if (c.has("expression")) {
                List<String> expressions = new ArrayList<>();
                List<String> paths = new ArrayList<>();
                criteria(
                        INTEL,
                        c.get("expression"),
                        path + ".criteria.expression",
                        expressions,
                        paths);
                expression = compile(INTEL, expressions, paths);
            }
            List<Feed> indicatorFeeds = new ArrayList<>();
            JsonNode names = ind.path("data_feeds");
            if (!driver.takesFeeds() && !names.isEmpty()) {
                error(
                        INTEL,
                        path + ".data_feeds",
                        "driver '" + driverName + "' takes no data feeds (rule: feeds)");
            }
            if (names.isEmpty() && driver.requiresFeeds()) {
                names = mapper.createArrayNode().add(name);
            }
            for (int i = 0; i < names.size(); i++) {
                Feed f = feed(dir, names.get(i).asText(), path + ".data_feeds", feeds);
                if (f != null) {
                    indicatorFeeds.add(f);
                }
            }
            Indicator indicator =
                    new Indicator(
                            name,
                            driver,
                            c.path("category").asText(driver.category()),
                            c.path("score").asInt(driver.score()),
                            c.path("min_bytes").asLong(0),
                            c.path("min_score").asInt(0),
                            c.path("trigger_on_east_west").asBoolean(true),
                            c.path("trigger_on_wan").asBoolean(true),
                            expression,
                            List.copyOf(indicatorFeeds),
                            defaultEvents,
                            driverCriteria);
            out.add(indicator);
            List<String> targets = new ArrayList<>();
            ind.path("sink_targets").forEach(t -> targets.add(t.asText()));
            if (targets.isEmpty()) {
                intel.path("sink_targets").fieldNames().forEachRemaining(targets::add);
            }
            for (String target : targets) {
                JsonNode t = intel.path("sink_targets").path(target);
                if (t.isMissingNode()) {
                    error(
                            INTEL,
                            path + ".sink_targets",
                            "no sink target '" + target + "' under $.sink_targets (rule: target)");
                    continue;
                }
                String sink = t.path("sink").asText();
                Iterator<Map.Entry<String, JsonNode>> chs = t.path("channels").fields();
                while (chs.hasNext()) {
                    Map.Entry<String, JsonNode> ch = chs.next();
                    String chPath = "$.sink_targets." + target + ".channels." + ch.getKey();
                    if (!ch.getValue().path("enabled").asBoolean(true)
                            || !checkSink(INTEL, sink, ch.getKey(), chPath, channelsBySink)) {
                        continue;
                    }
                    String topic = mqttTopic(sink, ch.getKey());
                    routes.add(
                            new Route(
                                    sink,
                                    ch.getKey(),
                                    Set.of(indicator.recordType()),
                                    "json",
                                    "none",
                                    topic));
                }
            }
        }
        if (out.size() > 64) {
            error(INTEL, "$.indicators", "at most 64 indicators may be enabled (rule: maximum)");
        }
        return out;
    }

    /**
     * A driver's own criteria: the configured values over its defaults. Numbers are whole and at
     * least 1; a window is a whole number of update intervals.
     */
    private Map<String, Object> driverCriteria(
            IntelDriver driver, JsonNode c, String path, long updateIntervalS) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> d : driver.criteria().entrySet()) {
            String key = d.getKey();
            JsonNode v = c.get(key);
            if (v == null) {
                out.put(key, d.getValue());
            } else if (d.getValue() instanceof Boolean) {
                if (!v.isBoolean()) {
                    error(INTEL, path + "." + key, "must be true or false (rule: type)");
                }
                out.put(key, v.asBoolean());
            } else if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 1) {
                error(
                        INTEL,
                        path + "." + key,
                        "must be a whole number of 1 or more (rule: minimum)");
                out.put(key, d.getValue());
            } else {
                out.put(key, v.asLong());
            }
        }
        Object window = out.get("window");
        if (window != null && (Long) window % updateIntervalS != 0) {
            error(
                    INTEL,
                    path + ".window",
                    window
                            + " s"
                            + (c.has("window") ? "" : " (the default)")
                            + " is not a multiple of the update interval ("
                            + updateIntervalS
                            + " s, flowtap.json's update_interval) (rule: multiple of"
                            + " update_interval)");
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** A data feed, read once however many indicators use it; null (with an error) if bad. */
    private Feed feed(Path dir, String name, String path, Map<String, Feed> feeds) {
        if (feeds.containsKey(name)) {
            return feeds.get(name);
        }
        String file = FEEDS_DIR + "/" + name + ".txt";
        if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            error(INTEL, path, "a feed's name is letters, digits, '_', '.' and '-' (rule: name)");
            return null;
        }
        Path p = dir.resolve(FEEDS_DIR).resolve(name + ".txt");
        try {
            Feed f = Feed.parse(name, file, Files.readString(p));
            feeds.put(name, f);
            return f;
        } catch (java.nio.file.NoSuchFileException e) {
            error(INTEL, path, "data feed '" + name + "': no file " + file + " (rule: feed file)");
        } catch (IOException e) {
            error(
                    INTEL,
                    path,
                    "data feed '" + name + "': " + e.getMessage() + " (rule: feed file)");
        } catch (FeedException e) {
            error(file, "line " + e.line(), e.reason() + " (rule: feed entry)");
        }
        return null;
    }

    /** Compiles criteria expressions, reporting each that fails with its path. */
    private Criteria compile(String file, List<String> expressions, List<String> paths) {
        List<Expression> compiled = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            try {
                compiled.add(Expression.compile(expressions.get(i)));
            } catch (ExpressionException e) {
                error(
                        file,
                        paths.get(i),
                        "\""
                                + e.expression()
                                + "\": column "
                                + e.column()
                                + ": "
                                + e.reason()
                                + " (rule: expression)");
            }
        }
        return Criteria.of(compiled);
    }

    /** For a route to {@code sink-mqtt}, the topic of its channel; null for other sinks. */
    private String mqttTopic(String sink, String channel) {
        return sink.equals("sink-mqtt")
                ? expand(documents.get(MQTT).get("topic").asText(), channel, MQTT, "$.topic")
                : null;
    }

    /** An expression, or each of an array of them, with its path. */
    private void criteria(
            String file, JsonNode v, String path, List<String> expressions, List<String> paths) {
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                criterion(file, v.get(i), path + "[" + i + "]", expressions, paths);
            }
        } else {
            criterion(file, v, path, expressions, paths);
        }
    }

    private void criterion(
            String file, JsonNode v, String path, List<String> expressions, List<String> paths) {
        if (!v.isTextual()) {
            error(file, path, "a criterion is an expression in a string (rule: type)");
            return;
        }
        expressions.add(v.asText());
        paths.add(path);
    }

    private boolean checkSink(
            String from,
            String sink,
            String channel,
            String path,
            Map<String, Set<String>> channelsBySink) {
        String file = SINK_FILES.get(sink);
        if (file == null && !sink.equals("sink-parquet")) {
            error(
                    from,
                    "$.sinks." + sink,
                    "unknown sink '"
                            + sink
                            + "'; sinks are "
                            + String.join(", ", new TreeSet<>(SINK_FILES.keySet()))
                            + " (rule: known sink)");
            return false;
        }
        if (sink.equals("sink-parquet")) {
            error(
                    from,
                    "$.sinks." + sink,
                    "Parquet datasets are not routed by record type; configure them in "
                            + PARQUET
                            + " (rule: known sink)");
            return false;
        }
        if (sink.equals("sink-ubus")) {
            error(from, "$.sinks." + sink, UBUS_MESSAGE);
            return false;
        }
        if (!AVAILABLE_SINKS.contains(sink)) {
            error(
                    from,
                    path,
                    "the "
                            + sink
                            + " sink is not available in this release; disable the route"
                            + " (\"enable\": false) or remove it (rule: available sink)");
            return false;
        }
        if (!documents.containsKey(file)) {
            error(
                    from,
                    path,
                    "routes to " + sink + " but " + file + " is missing (rule: sink file)");
            return false;
        }
        if (sink.equals("sink-mqtt")) {
            return true; // one broker; the channel names the topic
        }
        if (!channelsBySink.get(sink).contains(channel)) {
            error(
                    from,
                    path,
                    "no enabled channel '"
                            + channel
                            + "' in "
                            + file
                            + " (rule: channel reference)");
            return false;
        }
        return true;
    }

    private String expand(String value, String channel, String file, String path) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.equals("channel") && channel == null) {
                error(
                        file,
                        path,
                        "${channel} has a value only in a channel's settings"
                                + " (rule: known variable)");
                replacement = m.group();
            } else if (name.equals("channel")) {
                replacement = channel;
            } else if (VARIABLES.contains(name)) {
                replacement = variables.get(name);
            } else {
                error(
                        file,
                        path,
                        "unknown variable ${"
                                + name
                                + "}; variables are ${"
                                + String.join("}, ${", new TreeSet<>(VARIABLES))
                                + "} (rule: known variable)");
                replacement = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void error(String file, String path, String message) {
        errors.add(new ConfigError(file, path, message));
    }
}
