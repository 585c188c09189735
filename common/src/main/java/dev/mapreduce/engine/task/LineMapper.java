package dev.mapreduce.engine.task;

import dev.mapreduce.engine.shuffle.StateEmitter;

/** A query's map side: parses a line and folds it into the aggregate states of its keys. */
@FunctionalInterface
public interface LineMapper {

    /** Maps {@code line[off, off + len)}; false if the line is malformed (it is counted and skipped). */
    boolean map(byte[] line, int off, int len, StateEmitter out);
}
