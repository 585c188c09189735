package dev.mapreduce.engine.sql;

import java.util.Arrays;

/**
 * One output row of a query: its column values (String, Long, Double, Boolean, TIMESTAMP as Long
 * microseconds, or null) and the values its ORDER BY sorts on.
 */
public record QueryRow(Object[] values, Object[] order) {

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
