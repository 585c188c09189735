package dev.mapreduce.engine.sql;

import dev.mapreduce.engine.format.FieldInfo;
import dev.mapreduce.engine.format.FieldType;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.format.TimestampParser;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The columns of the table {@code logs}: the fields a log format yields, with their types. A
 * format that accepts any field (json, logfmt) also lets a query name fields it does not list;
 * they are VARCHAR, and NULL where a record lacks them.
 */
public final class QuerySchema {

    public record Column(String name, SqlType type) {}

    private final LogFormat format;
    private final List<Column> columns;

    private QuerySchema(LogFormat format) {
        this.format = format;
        this.columns = format.fields().stream()
                .map(f -> new Column(f.name(), type(f.type())))
                .toList();
    }

    /** The table of a format's fields. */
    public static QuerySchema of(LogFormat format) {
        return new QuerySchema(format);
    }

    /** The default format: timestamp (TIMESTAMP), level, service, message. */
    public static QuerySchema defaultFormat() {
        return of(Formats.DEFAULT);
    }

    public LogFormat format() {
        return format;
    }

    /** The fields the format yields up front, as columns. */
    public List<Column> columns() {
        return columns;
    }

    public boolean acceptsAnyField() {
        return format.acceptsAnyField();
    }

    static SqlType type(FieldType t) {
        return switch (t) {
            case STRING -> SqlType.VARCHAR;
            case LONG -> SqlType.BIGINT;
            case DOUBLE -> SqlType.DOUBLE;
            case TIMESTAMP -> SqlType.TIMESTAMP;
            case BOOLEAN -> SqlType.BOOLEAN;
        };
    }

    /**
     * The column named {@code name}: exactly, else ignoring case (as DuckDB resolves names), else
     * any field the format accepts under that name.
     */
    public Optional<Column> column(String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        Optional<Column> known = columns.stream()
                .filter(c -> c.name().toLowerCase(Locale.ROOT).equals(lower))
                .findFirst();
        if (known.isPresent() || !format.acceptsAnyField()) {
            return known;
        }
        Optional<FieldInfo> any = format.field(name);
        return any.map(f -> new Column(f.name(), type(f.type())));
    }

    /** How the format reads the TIMESTAMP field {@code name}. */
    TimestampParser timestampParser(String name) {
        return format.timestampParser(name);
    }
}
