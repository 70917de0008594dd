package io.flowtap.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Netify v5 JSON Schemas (telemetry records and plugin configuration files), bundled as
 * resources, and validation against them.
 *
 * <p>The bundled files keep the structure of Netify's published schemas (types, required fields,
 * enums, formats) without their prose.
 */
public final class NetifySchemas {
    public static final String FLOW = "netify-telemetry-flow.json";
    public static final String FLOW_STATS = "netify-telemetry-flow-stats.json";
    public static final String FLOW_PURGE = "netify-telemetry-flow-purge.json";
    private static final String RESOURCE_DIR = "/io/flowtap/schemas/netify/";
    private static final String FLOWTAP_RESOURCE_DIR = "/io/flowtap/schemas/flowtap/";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final Map<String, JsonNode> NODES = new ConcurrentHashMap<>();

    private NetifySchemas() {}

    /** The schema file that describes a telemetry record type, e.g. {@code flow_stats}. */
    public static String forRecordType(String type) {
        switch (type) {
            case "flow":
            case "flow_dpi_update":
            case "flow_dpi_complete":
                return FLOW;
            case "flow_stats":
                return FLOW_STATS;
            case "flow_purge":
                return FLOW_PURGE;
            case "flow_intel":
                return "netify-telemetry-intelligence.json";
            case "agent_status":
                return "netify-telemetry-agent-status.json";
            case "endpoints":
                return "netify-telemetry-endpoints.json";
            case "interfaces":
                return "netify-telemetry-interfaces.json";
            case "interface_stats":
            case "global_stats":
                return "netify-telemetry-interface-stats.json";
            default:
                throw new IllegalArgumentException("no schema for record type '" + type + "'");
        }
    }

    /** The parsed schema document. */
    public static JsonNode schemaNode(String file) {
        return NODES.computeIfAbsent(
                file,
                f -> {
                    try (InputStream in = open(f)) {
                        return MAPPER.readTree(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Violations of the schema, each as "path: message"; empty when the document is valid. */
    public static List<String> validate(String file, JsonNode document) {
        Schema schema = SCHEMAS.computeIfAbsent(file, f -> REGISTRY.getSchema(schemaNode(f)));
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(document)) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    /** One way a document breaks its schema: where, which rule, and the validator's words. */
    public record Violation(String path, String keyword, String message) {}

    /** Violations of the schema with their rule; empty when the document is valid. */
    public static List<Violation> violations(String file, JsonNode document) {
        Schema schema = SCHEMAS.computeIfAbsent(file, f -> REGISTRY.getSchema(schemaNode(f)));
        List<Violation> out = new ArrayList<>();
        for (Error e : schema.validate(document)) {
            String message = e.getMessage();
            String path = e.getInstanceLocation().toString();
            // The validator starts its message with the location; it is reported apart.
            if (message.startsWith(path + ": ")) {
                message = message.substring(path.length() + 2);
            }
            out.add(new Violation(jsonPath(path), e.getKeyword(), message));
        }
        return out;
    }

    /** A JSON pointer ({@code /a/b/0}) as a JSON path ({@code $.a.b[0]}). */
    static String jsonPath(String pointer) {
        if (pointer.startsWith("$")) {
            return pointer;
        }
        StringBuilder sb = new StringBuilder("$");
        if (pointer.isEmpty() || pointer.equals("/")) {
            return sb.toString();
        }
        for (String segment : pointer.substring(1).split("/", -1)) {
            String key = segment.replace("~1", "/").replace("~0", "~");
            if (!key.isEmpty() && key.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(key).append(']');
            } else {
                sb.append('.').append(key);
            }
        }
        return sb.toString();
    }

    /**
     * Properties of the document that its schema does not declare. Netify's schemas allow
     * additional properties; this stricter check catches misspelt field names.
     */
    public static List<String> undeclaredProperties(String file, JsonNode document) {
        List<String> out = new ArrayList<>();
        JsonNode root = schemaNode(file);
        collectUndeclared(root, root, document, "$", out);
        return out;
    }

    private static void collectUndeclared(
            JsonNode root, JsonNode schema, JsonNode doc, String path, List<String> out) {
        schema = resolve(root, schema);
        if (doc.isObject()) {
            Map<String, JsonNode> props = new java.util.LinkedHashMap<>();
            JsonNode[] additional = new JsonNode[1];
            declared(root, schema, doc, props, additional);
            if (props.isEmpty() && additional[0] == null) {
                return; // a free-form object: its schema declares nothing to check against
            }
            Iterator<Map.Entry<String, JsonNode>> it = doc.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode sub = props.get(e.getKey());
                if (sub == null && additional[0] != null && additional[0].isObject()) {
                    sub = additional[0];
                }
                if (sub == null) {
                    out.add(path + "." + e.getKey());
                } else {
                    collectUndeclared(root, sub, e.getValue(), path + "." + e.getKey(), out);
                }
            }
        } else if (doc.isArray() && schema.has("items")) {
            for (int i = 0; i < doc.size(); i++) {
                collectUndeclared(root, schema.get("items"), doc.get(i), path + "[" + i + "]", out);
            }
        }
    }

    /** Follows local references ("#/$defs/...") to the definition they name. */
    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        while (schema.has("$ref") && schema.get("$ref").asText().startsWith("#/")) {
            schema = root.at(schema.get("$ref").asText().substring(1));
        }
        return schema;
    }

    /**
     * The properties an object schema declares, with those of its {@code allOf} members and of the
     * {@code oneOf}/{@code anyOf} branch for the document's {@code type} (every branch when none
     * names it), and its {@code additionalProperties}.
     */
    private static void declared(
            JsonNode root,
            JsonNode schema,
            JsonNode doc,
            Map<String, JsonNode> props,
            JsonNode[] additional) {
        schema = resolve(root, schema);
        JsonNode p = schema.get("properties");
        if (p != null) {
            p.fields().forEachRemaining(e -> props.putIfAbsent(e.getKey(), e.getValue()));
        }
        if (schema.has("additionalProperties") && additional[0] == null) {
            additional[0] = schema.get("additionalProperties");
        }
        for (JsonNode member : schema.path("allOf")) {
            declared(root, member, doc, props, additional);
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            List<JsonNode> branches = new ArrayList<>();
            schema.path(choice).forEach(branches::add);
            List<JsonNode> typed =
                    branches.stream()
                            .filter(
                                    b ->
                                            resolve(root, b)
                                                    .path("properties")
                                                    .path("type")
                                                    .path("const")
                                                    .asText()
                                                    .equals(doc.path("type").asText()))
                            .toList();
            for (JsonNode b : typed.size() == 1 ? typed : branches) {
                declared(root, b, doc, props, additional);
            }
        }
    }

    private static InputStream open(String file) throws IOException {
        // Flowtap's own configuration schemas live beside Netify's.
        String dir = file.startsWith("flowtap") ? FLOWTAP_RESOURCE_DIR : RESOURCE_DIR;
        InputStream in = NetifySchemas.class.getResourceAsStream(dir + file);
        if (in == null) {
            throw new IOException("no bundled schema " + file);
        }
        return in;
    }
}
