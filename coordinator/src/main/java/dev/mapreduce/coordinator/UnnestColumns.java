package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.event.TaskKey;
import dev.mapreduce.protocol.AttemptCounters;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows as one array per column, for {@code unnest}: job ids as text and timestamps as
 * microseconds since the epoch (the driver binds neither as array elements), each counter a
 * column of its own.
 */
public final class UnnestColumns {
    private final List<List<Object>> columns = new ArrayList<>();
    private int column;
    public int rows;

    public UnnestColumns key(TaskKey key) {
        return add(key.jobId().toString()).add(key.type().name()).add(key.index());
    }

    public UnnestColumns add(Object value) {
        if (value instanceof AttemptCounters c) {
            return add(c.recordsRead())
                    .add(c.malformedRecords())
                    .add(c.mapOutputRecords())
                    .add(c.combineOutputRecords())
                    .add(c.shuffleBytes())
                    .add(c.reduceInputRecords())
                    .add(c.outputRecords());
        }
        if (column == columns.size()) {
            columns.add(new ArrayList<>());
        }
        columns.get(column++).add(value instanceof Timestamp ts ? micros(ts) : value);
        return this;
    }

    /** Microseconds since the epoch: the column's exact value, cheaper to pass than text. */
    private static long micros(Timestamp ts) {
        return Math.floorDiv(ts.getTime(), 1000L) * 1_000_000L + ts.getNanos() / 1000;
    }

    public void row() {
        column = 0;
        rows++;
    }

    public Object[] arrays() {
        return columns.stream().map(UnnestColumns::array).toArray();
    }

    private static Object array(List<Object> column) {
        Object first = column.stream().filter(v -> v != null).findFirst().orElse("");
        if (first instanceof Long) {
            return column.toArray(Long[]::new);
        }
        if (first instanceof Integer) {
            return column.toArray(Integer[]::new);
        }
        return column.stream().map(v -> v == null ? null : v.toString()).toArray(String[]::new);
    }
}
