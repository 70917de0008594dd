package io.flowtap.intel;

import io.flowtap.expr.Criteria;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

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
 * @param feeds the data feeds as the job started with them; a running stream job may replace them
 *     (by name) with newer versions
 * @param events the events a flow driver is evaluated at; it fires at most once per flow
 * @param driverCriteria the driver's own criteria, resolved: the configured values over the
 *     driver's defaults, in the driver's order
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
        EnumSet<IntelEvent> events,
        Map<String, Object> driverCriteria)
        implements Serializable {
    /** The record type its records are routed by. */
    public String recordType() {
        return "intel:" + name;
    }

    /** A numeric criterion of the driver. */
    public long number(String criterion) {
        return ((Number) driverCriteria.get(criterion)).longValue();
    }

    /** A boolean criterion of the driver. */
    public boolean flag(String criterion) {
        return (Boolean) driverCriteria.get(criterion);
    }

    /** The driver's {@code window} criterion (seconds) in milliseconds. */
    public long windowMs() {
        return number("window") * 1000L;
    }
}
