package io.flowtap.testing;

import io.flowtap.schemas.NetifySchemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Telemetry records read back from JSON-lines files, with what tests ask of them. */
public final class TelemetryOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<JsonNode> records;

    private TelemetryOutput(List<JsonNode> records) {
        this.records = records;
    }

    /** Every {@code *.json} file under {@code dir}, one record per line. */
    public static TelemetryOutput read(Path dir) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        all.add(MAPPER.readTree(line));
                    }
                }
            }
        }
        return new TelemetryOutput(all);
    }

    public static TelemetryOutput of(List<String> jsonLines) {
        return new TelemetryOutput(
                jsonLines.stream()
                        .map(
                                l -> {
                                    try {
                                        return MAPPER.readTree(l);
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                })
                        .collect(Collectors.toList()));
    }

    public List<JsonNode> all() {
        return records;
    }

    public List<JsonNode> ofType(String type) {
        return records.stream()
                .filter(r -> type.equals(r.get("type").asText()))
                .collect(Collectors.toList());
    }

    /** The {@code flow} record of each flow, by its first digest. */
    public Map<String, JsonNode> flowsByDigest() {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode r : ofType("flow")) {
            m.put(Conversations.identity(r.get("flow")), r.get("flow"));
        }
        return m;
    }

    /** Asserts that every record validates against its schema and declares no unknown field. */
    public void assertAllValid() {
        assertThat(records).isNotEmpty();
        for (JsonNode r : records) {
            String schema = NetifySchemas.forRecordType(r.get("type").asText());
            assertThat(NetifySchemas.validate(schema, r)).as(r.toString()).isEmpty();
            assertThat(NetifySchemas.undeclaredProperties(schema, r)).as(r.toString()).isEmpty();
        }
    }
}
