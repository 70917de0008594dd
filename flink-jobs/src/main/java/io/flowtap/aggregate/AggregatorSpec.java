package io.flowtap.aggregate;

import io.flowtap.expr.Criteria;

import java.io.Serializable;

/**
 * One aggregator instance, as {@code netify-proc-aggregator*.json} configures it.
 *
 * @param name the instance's name, part of its operators' uids and of its record type
 * @param batchedRows at most this many rows per payload; 0 for all of an interval's rows in one
 */
public record AggregatorSpec(
        String name,
        AggregatorType type,
        long intervalMs,
        boolean privacy,
        boolean nested,
        int batchedRows,
        Criteria criteria)
        implements Serializable {

    /** The record type of this instance's payloads, which routes take. */
    public String recordType() {
        return "aggregate:" + name;
    }
}
