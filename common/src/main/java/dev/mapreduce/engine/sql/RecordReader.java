package dev.mapreduce.engine.sql;

import dev.mapreduce.engine.input.EventStart;

/**
 * Parses a line into the fields a query reads (slot {@code i} holds {@code fields.get(i)} of
 * {@link SqlQuery#fields()}). One per task: the record it returns is reused.
 */
@FunctionalInterface
public interface RecordReader {

    /** The record of {@code line[off, off + len)}, valid until the next call; null if the line is malformed. */
    FieldSource read(byte[] line, int off, int len);

    /** Where a multi-line event starts when the format joins lines into events; null: each line is a record. */
    default EventStart eventStart() {
        return null;
    }

    /** Whether the first line of each file is a header, not a record. */
    default boolean hasHeader() {
        return false;
    }

    /** A file's header line, before that file's records. */
    default void header(byte[] line, int off, int len) {}
}
