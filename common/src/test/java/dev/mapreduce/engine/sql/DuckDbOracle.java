package dev.mapreduce.engine.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * DuckDB (in process, through its JDBC driver) over the same file, with the table {@code logs}
 * typed as the format declares its fields, and {@code tokenize} defined as a macro (DuckDB has no
 * such function): the oracle the SQL corpus is compared with.
 */
final class DuckDbOracle implements AutoCloseable {

    /** WORD_COUNT's words in DuckDB's terms. */
    static final String TOKENIZE_MACRO =
            "CREATE MACRO tokenize(s) AS list_transform(regexp_extract_all(s, '[A-Za-z0-9_]+'), x -> lower(x))";

    private final Connection connection;

    /** DuckDB over lines of {@code shape}: a table logs of timestamp, level, service and message. */
    DuckDbOracle(Path jsonLines, CorpusData.Shape shape) throws Exception {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = connection.createStatement()) {
            s.execute("SET threads = 2");
            s.execute("CREATE TABLE logs (timestamp TIMESTAMP, level VARCHAR, service VARCHAR, message VARCHAR)");
            if (Files.size(jsonLines) > 0) {
                String read = "read_json('" + jsonLines + "', format = 'newline_delimited', columns = {";
                s.execute(
                        switch (shape) {
                            case DEFAULT ->
                                "INSERT INTO logs SELECT * FROM " + read
                                        + "timestamp: 'TIMESTAMP', level: 'VARCHAR', service: 'VARCHAR', message: 'VARCHAR'})";
                            case ECS ->
                                "INSERT INTO logs SELECT \"@timestamp\", log.level, service.name, message FROM " + read
                                        + "\"@timestamp\": 'TIMESTAMP', log: 'STRUCT(level VARCHAR)', service: 'STRUCT(name VARCHAR)',"
                                        + " message: 'VARCHAR'})";
                            case JSON ->
                                "INSERT INTO logs SELECT timestamp, lvl, svc.name, message FROM " + read
                                        + "timestamp: 'TIMESTAMP', lvl: 'VARCHAR', svc: 'STRUCT(name VARCHAR)', message: 'VARCHAR'})";
                        });
            }
            s.execute(TOKENIZE_MACRO);
        }
    }

    DuckDbOracle(Path jsonLines, QuerySchema schema) throws Exception {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = connection.createStatement()) {
            s.execute("SET threads = 2");
            String columns = schema.columns().stream()
                    .map(c -> "\"" + c.name() + "\" " + duckType(c.type()))
                    .collect(Collectors.joining(", "));
            s.execute("CREATE TABLE logs (" + columns + ")");
            if (Files.size(jsonLines) > 0) {
                String typed = schema.columns().stream()
                        .map(c -> "\"" + c.name() + "\": '" + duckType(c.type()) + "'")
                        .collect(Collectors.joining(", "));
                s.execute("INSERT INTO logs SELECT * FROM read_json('" + jsonLines + "', format = 'newline_delimited',"
                        + " columns = {" + typed + "})");
            }
            s.execute(TOKENIZE_MACRO);
        }
    }

    static String duckType(SqlType t) {
        return t == SqlType.VARCHAR ? "VARCHAR" : t.name();
    }

    /** The rows of {@code sql}, each value as {@link #canonical} makes it. */
    List<List<Object>> query(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData m = r.getMetaData();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    String type = m.getColumnTypeName(i).toUpperCase(Locale.ROOT);
                    Object v = type.startsWith("TIMESTAMP") ? r.getObject(i, LocalDateTime.class) : r.getObject(i);
                    row.add(canonical(v));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Values as both engines can be compared: whole numbers Long, other numbers Double, timestamps micros. */
    static Object canonical(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof LocalDateTime t) {
            return Times.toMicros(t);
        }
        if (v instanceof java.sql.Timestamp t) {
            return Times.toMicros(t.toLocalDateTime());
        }
        return v;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
