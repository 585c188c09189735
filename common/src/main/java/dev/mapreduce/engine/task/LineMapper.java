package dev.mapreduce.engine.task;

import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.shuffle.StateEmitter;

/** A query's map side: parses a line and folds it into the aggregate states of its keys. */
@FunctionalInterface
public interface LineMapper {

    /** Maps {@code line[off, off + len)}; false if the line is malformed (it is counted and skipped). */
    boolean map(byte[] line, int off, int len, StateEmitter out);

    /** Where a multi-line event starts when the input's format joins lines into events; null: each line is a record. */
    default EventStart eventStart() {
        return null;
    }

    /** Whether the first line of each file is a header (a csv file's column names), not a record. */
    default boolean hasHeader() {
        return false;
    }

    /** A file's header line, before that file's records (only when {@link #hasHeader()}). */
    default void header(byte[] line, int off, int len) {}
}
