package dev.mapreduce.engine.function;

import dev.mapreduce.engine.record.LogField;
import dev.mapreduce.engine.record.LogRecord;

/** SERVICE_DISTRIBUTION and LEVEL_COUNT: the field's value, as it is, with value 1. */
final class FieldCount implements MapFunction {

    private final LogField field;

    FieldCount(LogField field) {
        this.field = field;
    }

    @Override
    public void map(LogRecord record, Emitter out) {
        out.emit(record.array(field), record.offset(field), record.length(field), 1);
    }
}
