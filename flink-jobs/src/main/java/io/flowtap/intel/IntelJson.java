package io.flowtap.intel;

import io.flowtap.flow.FlowState;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders {@code flow_intel} records (netify-telemetry-intelligence.json), keys in order. */
public final class IntelJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IntelJson() {}

    /**
     * @param match the feed that matched, or for a driver without feeds what it found (written as
     *     {@code finding})
     */
    public static byte[] render(Indicator ind, FlowState flow, IntelEvent event, String match) {
        ObjectNode record = MAPPER.createObjectNode();
        ObjectNode f = record.putObject("flow");
        f.put("digest", flow.digest);
        ObjectNode hit = f.putArray("intel").addObject();
        hit.put("category", ind.category());
        ObjectNode criteria = hit.putObject("criteria");
        criteria.put("min_bytes", ind.minBytes());
        criteria.put("min_score", ind.minScore());
        criteria.put("trigger_on_east_west", ind.onEastWest());
        criteria.put("trigger_on_wan", ind.onWan());
        if (ind.driver().usesFeeds()) {
            hit.put("data_feed", match);
        }
        hit.put("event", event.json());
        if (!ind.driver().usesFeeds()) {
            hit.put("finding", match);
        }
        hit.put("indicator", ind.name());
        hit.put("indicator_driver", ind.driver().name());
        hit.put("score", ind.score());
        record.put("interface", flow.interfaceName);
        record.put("internal", flow.internal);
        record.put("type", "flow_intel");
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
