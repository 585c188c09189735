package dev.mapreduce.engine.sql;

/** The types a query's values have: DuckDB's names, and what the engine holds them as. */
public enum SqlType {
    /** UTF-8 bytes. */
    VARCHAR,
    /** A signed 64-bit integer; arithmetic that overflows is an error, as in DuckDB. */
    BIGINT,
    /** A 64-bit float (decimal literals such as {@code 0.95} are DOUBLE here, DECIMAL in DuckDB). */
    DOUBLE,
    BOOLEAN,
    /** Microseconds since 1970-01-01 00:00:00 UTC, without a zone (DuckDB's TIMESTAMP). */
    TIMESTAMP,
    /** Microseconds; only as a literal ({@code INTERVAL '5 minutes'}) in time arithmetic and time_bucket. */
    INTERVAL,
    /** A list of VARCHAR: only what tokenize() returns, for unnest(). */
    LIST,
    /** The type of the NULL literal, which takes the type its context needs. */
    NULL;

    boolean numeric() {
        return this == BIGINT || this == DOUBLE;
    }

    boolean orderable() {
        return this == VARCHAR || this == BIGINT || this == DOUBLE || this == BOOLEAN || this == TIMESTAMP;
    }
}
