package dev.mapreduce.engine.sql;

/** A named, typed output column of a query. */
public record ResultColumn(String name, SqlType type) {

    /**
     * A value of this column as text, as DuckDB prints it: TIMESTAMP as {@code 2026-11-20
     * 00:01:00[.fraction]}, BOOLEAN as {@code true}/{@code false}; null for NULL.
     */
    public String text(Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case TIMESTAMP -> Times.format((Long) value);
            case DOUBLE -> Casts.formatDouble(((Number) value).doubleValue());
            default -> value.toString();
        };
    }
}
