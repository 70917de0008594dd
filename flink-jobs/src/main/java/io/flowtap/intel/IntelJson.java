package io.flowtap.intel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Renders {@code flow_intel} records (netify-telemetry-intelligence.json), keys in order. Beside
 * Netify's keys a hit may carry Flowtap's {@code finding} (what a driver without feeds found) and
 * {@code evidence} (what a driver saw: the name, the counts and the window).
 */
public final class IntelJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IntelJson() {}

    /** An empty evidence object to fill in. */
    public static ObjectNode evidence() {
        return MAPPER.createObjectNode();
    }

    /**
     * @param digest the flow's digest at the event
     * @param dataFeed the feed that matched, or null
     * @param finding what a driver without feeds found, or null
     * @param evidence what the driver saw, or null
     */
    public static byte[] render(
            Indicator ind,
            String digest,
            String interfaceName,
            boolean internal,
            IntelEvent event,
            String dataFeed,
            String finding,
            ObjectNode evidence) {
        ObjectNode record = MAPPER.createObjectNode();
        ObjectNode f = record.putObject("flow");
        f.put("digest", digest);
        ObjectNode hit = f.putArray("intel").addObject();
        hit.put("category", ind.category());
        ObjectNode criteria = hit.putObject("criteria");
        criteria.put("min_bytes", ind.minBytes());
        criteria.put("min_score", ind.minScore());
        criteria.put("trigger_on_east_west", ind.onEastWest());
        criteria.put("trigger_on_wan", ind.onWan());
        for (Map.Entry<String, Object> c : ind.driverCriteria().entrySet()) {
            if (c.getValue() instanceof Boolean b) {
                criteria.put(c.getKey(), b);
            } else {
                criteria.put(c.getKey(), ((Number) c.getValue()).longValue());
            }
        }
        if (dataFeed != null) {
            hit.put("data_feed", dataFeed);
        }
        hit.put("event", event.json());
        if (evidence != null) {
            hit.set("evidence", evidence);
        }
        if (finding != null) {
            hit.put("finding", finding);
        }
        hit.put("indicator", ind.name());
        hit.put("indicator_driver", ind.driver().tag());
        hit.put("score", ind.score());
        record.put("interface", interfaceName);
        record.put("internal", internal);
        record.put("type", "flow_intel");
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
