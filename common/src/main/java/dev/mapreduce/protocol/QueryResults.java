package dev.mapreduce.protocol;

import dev.mapreduce.engine.sql.ResultColumn;
import dev.mapreduce.engine.sql.SqlType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a query job's rows are kept in PostgreSQL's {@code results} (the contract between reduce
 * workers, the coordinator and the gateway). {@code result_row} is a JSON object of the row's named
 * columns: BIGINT and DOUBLE as JSON numbers (a DOUBLE that is NaN or infinite as the string
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}), BOOLEAN as true/false, VARCHAR as a string,
 * TIMESTAMP as DuckDB prints it ({@code "2026-11-20 00:01:00"}), NULL as null; U+0000 in text is
 * U+2400 (␀), which PostgreSQL can hold. A name that an earlier
 * column already has gets {@code _2}, {@code _3}, ... ({@link #keys}). A view per job,
 * {@link #viewName}, gives the columns by name and type.
 */
public final class QueryResults {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private QueryResults() {}

    /** The view of a query job's rows: {@code job_<uuid with underscores>}. */
    public static String viewName(UUID jobId) {
        return "job_" + jobId.toString().replace('-', '_');
    }

    /** The JSON member names of the columns: their names, a repeated one suffixed {@code _2}, {@code _3}, .... */
    public static List<String> keys(List<ResultColumn> columns) {
        Set<String> taken = new HashSet<>();
        List<String> keys = new ArrayList<>(columns.size());
        for (ResultColumn c : columns) {
            String key = c.name();
            for (int n = 2; !taken.add(key); n++) {
                key = c.name() + "_" + n;
            }
            keys.add(key);
        }
        return keys;
    }

    /** The row as the JSON object {@code result_row} holds. */
    public static String json(List<ResultColumn> columns, List<String> keys, Object[] values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            row.put(keys.get(i), jsonValue(columns.get(i), values[i]));
        }
        return JSON.writeValueAsString(row);
    }

    /** A value as it goes into JSON. */
    public static Object jsonValue(ResultColumn column, Object value) {
        if (value == null) {
            return null;
        }
        return switch (column.type()) {
            case BIGINT, BOOLEAN -> value;
            case DOUBLE -> {
                double d = ((Number) value).doubleValue();
                yield Double.isFinite(d) ? (Object) d : column.text(d);
            }
            // jsonb cannot hold U+0000: it becomes U+2400, as in result_key and mr local
            default -> column.text(value).replace('\0', '\u2400');
        };
    }

    /**
     * {@code result_value}: the first BIGINT or DOUBLE column's value (null when there is none, when
     * it is NULL, or when it is NaN or infinite, which {@code numeric} cannot hold in every version).
     */
    public static Number resultValue(List<ResultColumn> columns, Object[] values) {
        for (int i = 0; i < columns.size(); i++) {
            SqlType t = columns.get(i).type();
            if (t == SqlType.BIGINT || t == SqlType.DOUBLE) {
                Object v = values[i];
                if (v instanceof Double d && !Double.isFinite(d)) {
                    return null;
                }
                return (Number) v;
            }
        }
        return null;
    }

    /**
     * {@code CREATE OR REPLACE VIEW} of a job's rows: one typed column per output column, by its name
     * (as a quoted identifier), in the query's order (ORDER BY; then OFFSET and LIMIT were applied when
     * the job completed).
     */
    public static String createView(UUID jobId, List<ResultColumn> columns) {
        List<String> keys = keys(columns);
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE VIEW ")
                .append(viewName(jobId))
                .append(" AS SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            String key = keys.get(i);
            sql.append("(result_row ->> ").append(literal(key)).append(')');
            String cast =
                    switch (columns.get(i).type()) {
                        case BIGINT -> "::bigint";
                        case DOUBLE -> "::double precision";
                        case BOOLEAN -> "::boolean";
                        case TIMESTAMP -> "::timestamp";
                        default -> "";
                    };
            sql.append(cast).append(" AS ").append(identifier(columnName(key, i)));
        }
        return sql.append(" FROM results WHERE job_id = '")
                .append(jobId)
                .append("' ORDER BY result_ord, result_key")
                .toString();
    }

    /**
     * Deletes the rows of a query job (parameters: job id twice, LIMIT or null for none, OFFSET) that
     * its OFFSET and LIMIT leave out in its ORDER BY: each reduce partition kept its own top
     * {@code offset + limit} rows, and the job's are the top ones of all of them.
     */
    public static final String CUT_TO_LIMIT =
            "DELETE FROM results WHERE job_id = ? AND ctid NOT IN (SELECT ctid FROM results WHERE job_id = ?"
                    + " ORDER BY result_ord, result_key LIMIT ? OFFSET ?)";

    /** {@code DROP VIEW IF EXISTS} of a job's view. */
    public static String dropView(UUID jobId) {
        return "DROP VIEW IF EXISTS " + viewName(jobId);
    }

    /**
     * PostgreSQL cuts identifiers to 63 bytes: a longer name is cut shorter and given its position
     * ({@code _<i>}), so that two long names stay apart.
     */
    private static String columnName(String key, int index) {
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 63) {
            return key;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + n > 52) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return cut + "_" + (index + 1);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
