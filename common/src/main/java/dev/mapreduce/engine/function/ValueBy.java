package dev.mapreduce.engine.function;

import dev.mapreduce.engine.record.Record;
import java.util.List;

/**
 * VALUE_BY: (key field's value, value field's number), so SUM, MIN, MAX, AVG and COUNT apply to any
 * number in the log (bytes per path, duration per service). The value must be a whole number
 * ({@code [+-]?[0-9]+}, within a long); records where the key is absent, or the value is absent or
 * not such a number ({@code -} for "no bytes" in access logs), emit nothing.
 */
final class ValueBy implements MapFunction {

    private static final long NOT_A_NUMBER = Long.MIN_VALUE;

    private final List<String> fields;

    ValueBy(String key, String value) {
        this.fields = List.of(key, value);
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public void map(Record record, Emitter out) {
        byte[] key = record.array(0);
        if (key == null) {
            return;
        }
        long value = record.longValue(1, NOT_A_NUMBER);
        if (value == NOT_A_NUMBER) {
            return;
        }
        out.emit(key, record.offset(0), record.length(0), value);
    }
}
