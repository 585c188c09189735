package dev.mapreduce.engine.function;

import dev.mapreduce.engine.record.Record;
import java.util.List;

/**
 * Turns one valid record into zero or more (key, value) pairs. A function names the fields it
 * reads ({@link #fields}); a map task makes its format's parser for exactly those, so the record it
 * passes to {@link #map} holds {@code fields().get(i)} in slot {@code i}, resolved once per task,
 * never looked up per record. A field may be absent from a record ({@link Record#present}).
 * Instances may keep scratch state, so each map task creates its own through {@link
 * FunctionCatalogue#mapFunction}.
 */
public interface MapFunction {

    /** The fields it reads, by their logical names ({@code message}, {@code service}, ...), in slot order. */
    List<String> fields();

    void map(Record record, Emitter out);
}
