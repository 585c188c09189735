package dev.mapreduce.engine.format;

import dev.mapreduce.engine.record.Record;

/**
 * Parses lines (or multi-line events) of one format into {@link Record}s whose slots hold the
 * fields it was made for. Stateful: one per thread, made by {@link LogFormat#newParser}.
 */
public interface RecordParser {

    /**
     * Parses {@code line[off, off + len)}.
     *
     * @return the record, valid until the next call; {@code null} when the line is malformed
     */
    Record parse(byte[] line, int off, int len);

    /** Why the last {@link #parse} returned null, in one line (meaningless after a success). */
    String malformedReason();

    /**
     * The first line of a file, for formats that take their column names from it ({@code csv} with
     * a header): called before any line of that file; the line itself is not a record. Other
     * formats ignore it.
     */
    default void header(byte[] line, int off, int len) {}
}
