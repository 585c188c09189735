package dev.mapreduce.engine.sql;

import java.util.Arrays;

/**
 * One output row of a query: its column values (String, Long, Double, Boolean, TIMESTAMP as Long
 * microseconds, or null), the values its ORDER BY sorts on, and the values of its group's keys
 * (the GROUP BY expressions; for a query without aggregates, its distinct row; none without GROUP BY).
 */
public record QueryRow(Object[] values, Object[] order, Object[] keys) {

    public QueryRow(Object[] values, Object[] order) {
        this(values, order, new Object[0]);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
