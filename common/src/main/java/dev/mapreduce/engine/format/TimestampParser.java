package dev.mapreduce.engine.format;

/** Reads a point in time from a field's bytes. Thread-safe. */
public interface TimestampParser {

    /** What {@link #epochMicros} returns for bytes that are not a timestamp it can read. */
    long NOT_A_TIMESTAMP = Long.MIN_VALUE;

    /** The instant as UTC epoch microseconds, or {@link #NOT_A_TIMESTAMP}. */
    long epochMicros(byte[] b, int off, int len);
}
