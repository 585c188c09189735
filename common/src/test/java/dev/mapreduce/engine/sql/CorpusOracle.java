package dev.mapreduce.engine.sql;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SQL corpus for tests outside this package (the cluster's): its generated data in a shape,
 * the format that reads it, DuckDB over it, its queries, and the comparison of
 * {@link SqlCorpusTest}, so that a query job on the cluster is checked exactly as {@code mr local} is.
 */
public final class CorpusOracle implements AutoCloseable {

    /** How the events are written: {@code DEFAULT}, {@code ECS} (ecs_json) or {@code JSON} (json with renames and NULLs). */
    public enum Shape {
        DEFAULT,
        ECS,
        JSON
    }

    private final Shape shape;
    private final DuckDbOracle duck;

    /** DuckDB over {@code file}, written by {@link #write} in {@code shape}. */
    public CorpusOracle(Path file, Shape shape) throws Exception {
        this.shape = shape;
        this.duck = new DuckDbOracle(file, CorpusData.Shape.valueOf(shape.name()));
    }

    /** {@code lines} deterministic events in {@code shape}. */
    public static void write(Path file, int lines, long seed, Shape shape) throws Exception {
        CorpusData.write(file, lines, seed, CorpusData.Shape.valueOf(shape.name()));
    }

    /** The format that reads {@code shape} with timestamp, level, service and message as its fields. */
    public static FormatSpec format(Shape shape) {
        return switch (shape) {
            case DEFAULT -> FormatSpec.DEFAULT;
            case ECS -> FormatSpec.of("ecs_json");
            case JSON ->
                new FormatSpec(
                        "json",
                        null,
                        null,
                        Map.of("level", "lvl", "service", "svc.name"),
                        null,
                        null,
                        null,
                        null,
                        new FormatSpec.TimestampSpec("timestamp", null, null, null),
                        null);
        };
    }

    public static QuerySchema schema(Shape shape) {
        return QuerySchema.of(Formats.compile(format(shape)));
    }

    /** The corpus's exact queries (SqlCorpusTest's), each to give exactly DuckDB's rows. */
    public static List<String> exactQueries() {
        return SqlCorpusTest.exact().toList();
    }

    /** How many approximate queries the corpus has. */
    public static int approximateQueries() {
        return (int) SqlCorpusTest.approximate().count();
    }

    /** The text of approximate query {@code i}. */
    public static String approximateQuery(int i) {
        return SqlCorpusTest.approximate().toList().get(i).sql();
    }

    /** DuckDB's rows of {@code sql}, canonical as {@link #value} makes ours. */
    public List<List<Object>> query(String sql) throws SQLException {
        return duck.query(sql);
    }

    /** Fails, naming the first row that differs, unless {@code ours} are DuckDB's rows of {@code sql}. */
    public void assertSameRows(String sql, List<List<Object>> ours) throws SQLException {
        SqlCorpusTest.compare(sql, ours, duck.query(sql));
    }

    /** Fails unless {@code ours} are within approximate query {@code i}'s documented bounds of DuckDB's exact rows. */
    public void assertWithinBounds(int i, List<List<Object>> ours) throws SQLException {
        SqlCorpusTest.Approx a = SqlCorpusTest.approximate().toList().get(i);
        List<List<Object>> mine = SqlCorpusTest.sorted(ours);
        if (a.exactSql() != null) {
            List<List<Object>> exact = SqlCorpusTest.sorted(duck.query(a.exactSql()));
            org.assertj.core.api.Assertions.assertThat(mine).hasSameSizeAs(exact);
            for (int r = 0; r < mine.size(); r++) {
                long want = (Long) exact.get(r).get(a.column());
                long got = (Long) mine.get(r).get(a.column());
                org.assertj.core.api.Assertions.assertThat((double) Math.abs(got - want))
                        .as("%s row %d: %d against exact %d", a.sql(), r, got, want)
                        .isLessThanOrEqualTo(Math.max(1, SqlCorpusTest.HLL_BOUND * want));
            }
        } else {
            List<List<Object>> low = SqlCorpusTest.sorted(duck.query(a.lowSql()));
            List<List<Object>> high = SqlCorpusTest.sorted(duck.query(a.highSql()));
            org.assertj.core.api.Assertions.assertThat(mine).hasSameSizeAs(low);
            for (int r = 0; r < mine.size(); r++) {
                double got = ((Number) mine.get(r).get(a.column())).doubleValue();
                double lo = ((Number) low.get(r).get(a.column())).doubleValue();
                double hi = ((Number) high.get(r).get(a.column())).doubleValue();
                org.assertj.core.api.Assertions.assertThat(got)
                        .as("%s row %d: rank within 2 eps", a.sql(), r)
                        .isBetween(lo, hi);
            }
        }
    }

    /**
     * A value read back from PostgreSQL (a view column through JDBC) as the corpus compares values:
     * whole numbers Long, other numbers Double, timestamps microseconds.
     */
    public static Object value(Object jdbcValue) {
        if (jdbcValue instanceof java.sql.Timestamp t) {
            return Times.toMicros(t.toLocalDateTime());
        }
        if (jdbcValue instanceof LocalDateTime t) {
            return Times.toMicros(t);
        }
        return DuckDbOracle.canonical(jdbcValue);
    }

    /** Rows as lists of {@link #value}s. */
    public static List<List<Object>> values(List<List<Object>> jdbcRows) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : jdbcRows) {
            List<Object> out = new ArrayList<>();
            row.forEach(v -> out.add(value(v)));
            rows.add(out);
        }
        return rows;
    }

    public Shape shape() {
        return shape;
    }

    @Override
    public void close() throws SQLException {
        duck.close();
    }
}
