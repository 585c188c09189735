package dev.mapreduce.engine.format;

/**
 * What a field's bytes mean. Every value travels as its UTF-8 bytes; the type says how a
 * consumer may read them (numbers and timestamps are parsed on use, never by the parser).
 */
public enum FieldType {
    /** Text, as written. */
    STRING,
    /** A whole number: optional sign and decimal digits. */
    LONG,
    /** A decimal number. */
    DOUBLE,
    /** A point in time, read with the format's {@link LogFormat#timestampParser}. */
    TIMESTAMP,
    /** {@code true} or {@code false}. */
    BOOLEAN
}
