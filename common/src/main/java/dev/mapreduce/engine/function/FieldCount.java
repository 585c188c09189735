package dev.mapreduce.engine.function;

import dev.mapreduce.engine.record.Record;
import java.util.List;

/**
 * SERVICE_DISTRIBUTION, LEVEL_COUNT and COUNT_BY: the field's value, as it is, with value 1.
 * Records without the field count for nothing.
 */
final class FieldCount implements MapFunction {

    private final List<String> fields;

    FieldCount(String field) {
        this.fields = List.of(field);
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public void map(Record record, Emitter out) {
        byte[] a = record.array(0);
        if (a != null) {
            out.emit(a, record.offset(0), record.length(0), 1);
        }
    }
}
