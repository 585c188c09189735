package dev.mapreduce.engine.function;

import dev.mapreduce.engine.record.LogRecord;

/**
 * Turns one valid log record into zero or more (key, value) pairs. Instances may keep scratch
 * state, so each map task creates its own through {@link FunctionCatalogue#mapFunction}.
 */
public interface MapFunction {

    void map(LogRecord record, Emitter out);
}
