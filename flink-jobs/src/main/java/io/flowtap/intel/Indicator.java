package io.flowtap.intel;

import io.flowtap.expr.Criteria;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;

/**
 * One configured indicator of {@code netify-proc-intel.json}: a driver, its feeds, its criteria and
 * the events it listens to.
 *
 * @param name the indicator's tag, the key under {@code indicators}
 * @param minBytes a flow must have carried at least this many bytes (both directions)
 * @param minScore a flow's risk score must be at least this
 * @param onEastWest whether flows between two local hosts may fire it
 * @param onWan whether flows seen on a WAN interface may fire it
 * @param expression a further condition in the expression language, or {@link Criteria#ALL}
 * @param events the events it is evaluated at; it fires at most once per flow
 */
public record Indicator(
        String name,
        IntelDriver driver,
        String category,
        int score,
        long minBytes,
        int minScore,
        boolean onEastWest,
        boolean onWan,
        Criteria expression,
        List<Feed> feeds,
        EnumSet<IntelEvent> events)
        implements Serializable {
    /** The record type its records are routed by. */
    public String recordType() {
        return "intel:" + name;
    }
}
