package dev.mapreduce.engine.sql;

/**
 * Parses a line into the fields a query reads (slot {@code i} holds {@code fields.get(i)} of
 * {@link SqlQuery#fields()}). One per task: the record it returns is reused.
 */
@FunctionalInterface
public interface RecordReader {

    /** The record of {@code line[off, off + len)}, valid until the next call; null if the line is malformed. */
    FieldSource read(byte[] line, int off, int len);
}
