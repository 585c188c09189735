package dev.mapreduce.engine.format;

import dev.mapreduce.engine.input.EventStart;
import java.util.List;
import java.util.Optional;

/**
 * A compiled format: which fields it yields and how to parse a line (or a multi-line event) into
 * them. Made once per job (or per task) by {@link Formats#compile}; thread-safe. Its parsers are
 * not: each thread makes its own with {@link #newParser}.
 */
public interface LogFormat {

    /** The format's name: {@code "default"}, {@code "json"}, {@code "apache_combined"}, ... */
    String name();

    /** The fields it yields, known up front (a format that {@link #acceptsAnyField} may yield more). */
    List<FieldInfo> fields();

    /** Whether any name (json and logfmt: any member, or dotted path) is a field, absent (NULL) where a record lacks it. */
    boolean acceptsAnyField();

    /**
     * The field of that name; empty when the format cannot yield it. For a format that accepts
     * any field, a name it does not know up front is a STRING field.
     */
    Optional<FieldInfo> field(String name);

    /**
     * A parser whose records hold {@code fields.get(i)} in slot {@code i}. One per thread.
     *
     * @throws FormatException if the format cannot yield one of the fields
     */
    RecordParser newParser(List<String> fields);

    /** The field that holds the event's time, if the format has one. */
    Optional<String> timestampField();

    /**
     * The parser of a TIMESTAMP-typed field's bytes.
     *
     * @throws FormatException if the field is not a TIMESTAMP field of this format
     */
    TimestampParser timestampParser(String field);

    /**
     * Where a multi-line event starts, when the format joins lines into events (Java stack traces
     * under their log line); empty when every line is a record of its own.
     */
    default Optional<EventStart> eventStart() {
        return Optional.empty();
    }

    /** Whether the first line of each file is a header (column names), not a record. */
    default boolean hasHeader() {
        return false;
    }

    /** A few lines of this format, for documentation and the preview. */
    default List<String> sampleLines() {
        return List.of();
    }

    /** What it reads, in one sentence. */
    default String description() {
        return "";
    }
}
