package io.flowtap.intel;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.schema.IntelRow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** A {@code flow_intel} record as a row of the Parquet dataset {@code intel}. */
public final class IntelRows {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IntelRows() {}

    /** Whether a telemetry record is an indicator's. */
    public static boolean isIntel(TelemetryRecord r) {
        return r.type.startsWith("intel:");
    }

    public static IntelRow of(TelemetryRecord r) {
        JsonNode n;
        try {
            n = MAPPER.readTree(r.json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode hit = n.get("flow").get("intel").get(0);
        JsonNode evidence = hit.get("evidence");
        return IntelRow.newBuilder()
                .setDetectedAt(Instant.ofEpochMilli(r.timestamp))
                .setIndicator(hit.get("indicator").asText())
                .setIndicatorDriver(hit.get("indicator_driver").asText())
                .setCategory(hit.get("category").asText())
                .setScore(hit.get("score").asInt())
                .setEvent(hit.get("event").asText())
                .setDigest(n.get("flow").get("digest").asText())
                .setInterface$(n.get("interface").asText())
                .setInternal(n.get("internal").asBoolean())
                .setDataFeed(text(hit, "data_feed"))
                .setFinding(text(hit, "finding"))
                .setLocalIp(text(evidence, "local_ip"))
                .setLocalMac(text(evidence, "local_mac"))
                .setWindowStart(time(evidence, "window_start_at"))
                .setWindowEnd(time(evidence, "window_end_at"))
                .setCriteria(hit.get("criteria").toString())
                .setEvidence(evidence == null ? null : evidence.toString())
                .build();
    }

    private static String text(JsonNode n, String field) {
        return n == null || !n.has(field) ? null : n.get(field).asText();
    }

    private static Instant time(JsonNode n, String field) {
        return n == null || !n.has(field) ? null : Instant.ofEpochMilli(n.get(field).asLong());
    }
}
