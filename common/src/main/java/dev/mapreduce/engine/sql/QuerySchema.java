package dev.mapreduce.engine.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The columns of the table {@code logs}: the fields a log format yields, with their types. A
 * format that accepts any field (JSON, logfmt) also lets a query name fields it does not list;
 * they are VARCHAR and NULL where a record lacks them.
 */
public record QuerySchema(List<Column> columns, boolean acceptsAnyField) {

    public record Column(String name, SqlType type) {}

    public QuerySchema {
        columns = List.copyOf(columns);
    }

    /** The default format: timestamp (TIMESTAMP), level, service, message. */
    public static QuerySchema defaultFormat() {
        return new QuerySchema(
                List.of(
                        new Column("timestamp", SqlType.TIMESTAMP),
                        new Column("level", SqlType.VARCHAR),
                        new Column("service", SqlType.VARCHAR),
                        new Column("message", SqlType.VARCHAR)),
                false);
    }

    /** The column named {@code name}: exactly, else ignoring case (as DuckDB resolves names). */
    public Optional<Column> column(String name) {
        for (Column c : columns) {
            if (c.name.equals(name)) {
                return Optional.of(c);
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return columns.stream()
                .filter(c -> c.name.toLowerCase(Locale.ROOT).equals(lower))
                .findFirst();
    }
}
