package dev.mapreduce.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.local.LocalJobRunner;
import dev.mapreduce.engine.local.LocalQueryJob;
import dev.mapreduce.engine.local.QueryResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SQL corpus: every query runs through {@link LocalJobRunner} (map, combine, partition,
 * sort, spill, merge, reduce) and through DuckDB on the same file, and every row must be equal:
 * exactly, doubles within a relative 1e-9 (sums of doubles depend on their order), approximate
 * aggregates within their documented bounds. Runs vary mappers, reducers, the combiner and the
 * sort buffer (a tiny one forces spills, so states are merged from spill files too).
 */
class SqlCorpusTest {

    /** approx_count_distinct: 3 standard errors of an HLL sketch of 2^12 buckets (1.04 / 64 = 1.6%). */
    static final double HLL_BOUND = 0.05;

    static final double DOUBLE_TOLERANCE = 1e-9;

    @TempDir
    static Path dir;

    static Path data;
    static Path empty;
    static DuckDbOracle duck;
    static DuckDbOracle duckEmpty;
    static final Map<CorpusData.Shape, Path> files = new EnumMap<>(CorpusData.Shape.class);
    static final Map<CorpusData.Shape, DuckDbOracle> ducks = new EnumMap<>(CorpusData.Shape.class);

    /** The format that reads each shape, with timestamp, level, service and message as its fields. */
    static FormatSpec format(CorpusData.Shape shape) {
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

    static QuerySchema schema(CorpusData.Shape shape) {
        return shape == CorpusData.Shape.DEFAULT
                ? QuerySchema.defaultFormat()
                : QuerySchema.of(Formats.compile(format(shape)));
    }

    @BeforeAll
    static void data() throws Exception {
        for (CorpusData.Shape shape : CorpusData.Shape.values()) {
            Path file = dir.resolve("corpus-" + shape + ".jsonl");
            CorpusData.write(file, 30_000, 42, shape);
            files.put(shape, file);
            ducks.put(shape, new DuckDbOracle(file, shape));
        }
        data = files.get(CorpusData.Shape.DEFAULT);
        duck = ducks.get(CorpusData.Shape.DEFAULT);
        empty = dir.resolve("empty.jsonl");
        Files.createFile(empty);
        duckEmpty = new DuckDbOracle(empty, CorpusData.Shape.DEFAULT);
    }

    @AfterAll
    static void close() throws Exception {
        for (DuckDbOracle d : ducks.values()) {
            d.close();
        }
        duckEmpty.close();
    }

    static final String LATENCY = "CAST(regexp_extract(message, 'in (\\d+) ms', 1) AS BIGINT)";
    static final String VALUE = "CAST(split_part(split_part(message, '=', 2), ' ', 1) AS DOUBLE)";

    static Stream<String> exact() {
        return Stream.of(
                "SELECT count(*) FROM logs",
                "SELECT service, count(*) FROM logs GROUP BY service",
                "SELECT level, count(*) AS n FROM logs GROUP BY level ORDER BY n DESC, level",
                "SELECT service, level, count(*) FROM logs GROUP BY service, level",
                "SELECT date_trunc('minute', timestamp) AS m, count(*) FROM logs GROUP BY m ORDER BY m",
                "SELECT date_trunc('hour', timestamp) AS h, service, count(*) FROM logs WHERE level = 'ERROR' GROUP BY 1, 2",
                "SELECT date_trunc('day', timestamp) AS d, count(*) FROM logs GROUP BY 1 ORDER BY 1",
                "SELECT date_trunc('second', timestamp) AS s, count(*) AS n FROM logs GROUP BY s ORDER BY n DESC, s LIMIT 5",
                "SELECT time_bucket(INTERVAL '5 minutes', timestamp) AS b, count(*) FROM logs GROUP BY b ORDER BY b",
                "SELECT time_bucket(INTERVAL '7 minutes', timestamp) AS b, level, count(*) FROM logs GROUP BY 1, 2",
                "SELECT time_bucket(INTERVAL '1 hour', timestamp) AS b, count(DISTINCT service) FROM logs GROUP BY 1",
                "SELECT time_bucket(INTERVAL '90 seconds', timestamp) AS b, count(*) FROM logs GROUP BY 1 ORDER BY 1 LIMIT 10",
                "SELECT date_trunc('minute', timestamp + INTERVAL '30 seconds') AS m, count(*) FROM logs GROUP BY 1 ORDER BY 1 LIMIT 5",
                "SELECT service, count(DISTINCT level) FROM logs GROUP BY service",
                "SELECT service, count(DISTINCT regexp_extract(message, '[Uu]ser (\\d+)', 1)) AS users FROM logs"
                        + " WHERE regexp_matches(message, '[Uu]ser \\d+') GROUP BY service",
                "SELECT count(DISTINCT message) FROM logs",
                "SELECT service, count(DISTINCT message), count(DISTINCT level), count(*) FROM logs GROUP BY service",
                "SELECT service, sum(" + LATENCY
                        + ") AS total FROM logs WHERE message LIKE '%status%' GROUP BY service",
                "SELECT service, min(" + LATENCY + "), max(" + LATENCY + "), avg(" + LATENCY + ") FROM logs"
                        + " WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY service",
                "SELECT avg(length(message)), sum(length(message)), min(length(message)), max(length(message)) FROM logs",
                "SELECT min(timestamp), max(timestamp) FROM logs",
                "SELECT service, min(message), max(message) FROM logs GROUP BY service",
                "SELECT min(service), max(level) FROM logs",
                "SELECT lower(service) AS s, upper(level) AS l, count(*) FROM logs GROUP BY 1, 2",
                "SELECT length(service), count(*) FROM logs GROUP BY 1",
                "SELECT substr(service, 1, 3) AS p, count(*) FROM logs GROUP BY p",
                "SELECT substr(message, -5, 3) AS p, count(*) FROM logs GROUP BY p",
                "SELECT substring(message, 3) AS p, count(*) FROM logs WHERE message LIKE 'Cache%' GROUP BY p ORDER BY 2 DESC, 1 LIMIT 5",
                "SELECT split_part(message, ' ', 2) AS w, count(*) FROM logs GROUP BY w",
                "SELECT split_part(message, '/', -1) AS tail, count(*) FROM logs WHERE message LIKE 'GET%' GROUP BY 1",
                "SELECT concat(service, ':', level) AS k, count(*) FROM logs GROUP BY k",
                "SELECT service || '/' || level AS k, count(*) FROM logs GROUP BY k",
                "SELECT trim(message) AS t, count(*) FROM logs WHERE message LIKE ' %' GROUP BY t",
                "SELECT DISTINCT ltrim(message), rtrim(message) FROM logs WHERE message LIKE '  padded%'",
                "SELECT count(*) FROM logs WHERE message ILIKE '%cache miss%'",
                "SELECT count(*) FROM logs WHERE message NOT LIKE 'GET%' AND message NOT ILIKE 'post%'",
                "SELECT count(*) FROM logs WHERE message LIKE '_ache%' OR message LIKE '%ms'",
                "SELECT level, count(*) FROM logs WHERE level IN ('ERROR', 'WARN') GROUP BY level",
                "SELECT count(*) FROM logs WHERE level NOT IN ('INFO', 'DEBUG')",
                "SELECT count(*) FROM logs WHERE timestamp BETWEEN '2026-11-20 23:30:00' AND '2026-11-21 00:30:00'",
                "SELECT count(*) FROM logs WHERE timestamp >= TIMESTAMP '2026-11-21 00:00:00'",
                "SELECT count(*) FROM logs WHERE NOT (level = 'INFO' OR service = 'z')",
                "SELECT CASE WHEN level IN ('ERROR', 'WARN') THEN 'bad' WHEN level = 'INFO' THEN 'ok' ELSE 'other' END AS k,"
                        + " count(*) FROM logs GROUP BY 1",
                "SELECT CASE level WHEN 'ERROR' THEN 1 END AS k, count(*) FROM logs GROUP BY k",
                "SELECT nullif(level, 'INFO') AS l, count(*) FROM logs GROUP BY l",
                "SELECT coalesce(nullif(level, 'INFO'), 'none') AS l, count(*) FROM logs GROUP BY l",
                "SELECT count(nullif(level, 'INFO')), count(level), count(*) FROM logs",
                "SELECT service, sum(CASE WHEN level = 'ERROR' THEN 1 ELSE 0 END) AS errors, count(*) AS n,"
                        + " sum(CASE WHEN level = 'ERROR' THEN 1 ELSE 0 END) * 100.0 / count(*) AS pct FROM logs GROUP BY service",
                "SELECT service, count(*) FROM logs GROUP BY service HAVING count(*) > 1000",
                "SELECT service, avg(length(message)) AS a FROM logs GROUP BY service HAVING avg(length(message)) > 30 ORDER BY a DESC",
                "SELECT regexp_extract(message, '^(\\w+)', 1) AS verb, count(*) FROM logs GROUP BY verb",
                "SELECT count(*) FROM logs WHERE regexp_matches(message, 'status 5\\d\\d')",
                // one search shared by the WHERE and the extracts of the same matches, whatever their groups
                "SELECT regexp_extract(message, '([a-z]+) (\\d+)', 2) AS a, regexp_extract(message, '[a-z]+ (\\d+)', 1) AS b,"
                        + " regexp_extract(message, '[a-z]+ \\d+') AS c, count(*) FROM logs"
                        + " WHERE regexp_matches(message, '[a-z]+ \\d+') GROUP BY 1, 2, 3",
                "SELECT regexp_extract(service, '([a-z]+)-', 1) AS s, count(*) FROM logs"
                        + " WHERE regexp_matches(message, '[a-z]+-') GROUP BY 1",
                "SELECT sum(TRY_CAST(split_part(message, ' ', 2) AS BIGINT)), count(TRY_CAST(split_part(message, ' ', 2) AS BIGINT)) FROM logs",
                "SELECT CAST(length(message) AS DOUBLE) / 3 AS x, count(*) FROM logs GROUP BY x ORDER BY x LIMIT 10",
                "SELECT length(message) % 7 AS m, count(*) FROM logs GROUP BY m",
                "SELECT -length(message) + 2 * 3 AS v, count(*) FROM logs GROUP BY v ORDER BY v LIMIT 5",
                "SELECT w, count(*) AS n FROM (SELECT unnest(tokenize(message)) AS w FROM logs) GROUP BY w ORDER BY n DESC, w LIMIT 20",
                "SELECT w, count(*) FROM (SELECT unnest(tokenize(message)) AS w FROM logs) GROUP BY w",
                "SELECT service, count(*) FROM (SELECT unnest(tokenize(message)) AS w, service FROM logs WHERE level = 'ERROR')"
                        + " WHERE w <> 'in' GROUP BY service",
                "SELECT count(DISTINCT w) FROM (SELECT unnest(tokenize(message)) AS w FROM logs)",
                "SELECT DISTINCT service FROM logs",
                "SELECT DISTINCT level, service FROM logs ORDER BY level, service LIMIT 7",
                "SELECT service, level FROM logs WHERE message LIKE 'Payment%' ORDER BY timestamp, service LIMIT 10",
                "SELECT timestamp, service FROM logs ORDER BY timestamp DESC LIMIT 5 OFFSET 3",
                "SELECT service, count(*) AS n FROM logs GROUP BY service ORDER BY n DESC, service LIMIT 3",
                "SELECT l.service, count(*) FROM logs AS l GROUP BY l.service",
                "SELECT \"service\", count(*) AS \"N\" FROM logs GROUP BY \"service\"",
                "SELECT SERVICE, COUNT(*) FROM LOGS GROUP BY SERVICE",
                "SELECT count(*) FROM logs WHERE message = '' OR message IS NULL",
                "SELECT count(*) FROM logs WHERE nullif(message, '') IS NULL",
                "SELECT starts_with(service, 'a') AS s, contains(message, 'ms') AS c, count(*) FROM logs GROUP BY 1, 2",
                "SELECT replace(service, '-', '_') AS s, count(*) FROM logs GROUP BY s",
                "SELECT max(" + VALUE + "), min(" + VALUE + ") FROM logs WHERE message LIKE 'value=%'",
                "SELECT sum(" + VALUE + ") AS s, avg(" + VALUE + ") FROM logs WHERE message LIKE 'value=%'",
                "SELECT service, count(*) FROM logs WHERE service > 'o' GROUP BY service",
                "SELECT count(*) FROM logs WHERE length(service) BETWEEN 3 AND 12 AND level <> 'Trace'",
                "SELECT abs(length(message) - 40) AS d, count(*) FROM logs GROUP BY d ORDER BY d LIMIT 5",
                "SELECT count(*) AS n FROM logs HAVING count(*) > 0",
                "SELECT service, count(*) FROM logs WHERE level = 'NOPE' GROUP BY service",
                "SELECT count(*), sum(length(message)), min(service), avg(length(message)) FROM logs WHERE level = 'NOPE'",
                "SELECT upper(message), length(message) FROM logs WHERE message LIKE 'Ünï%' ORDER BY 1 LIMIT 5",
                "SELECT message FROM logs WHERE message LIKE '%\"quoted\"%' ORDER BY message LIMIT 3",
                "SELECT service FROM logs WHERE service = 'emoji-🚀' AND level = 'ERROR' ORDER BY timestamp LIMIT 3",
                "SELECT level = 'ERROR' AS e, count(*) FROM logs GROUP BY 1",
                "SELECT count(*) FROM logs WHERE (length(message) > 30) IS TRUE AND level IS NOT NULL");
    }

    /** An approximate query: our column {@code column} against the exact value(s) of DuckDB. */
    record Approx(String sql, int column, String exactSql, String lowSql, String highSql) {}

    static Stream<Approx> approximate() {
        String lat = LATENCY;
        String where = " FROM logs WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY service";
        return Stream.of(
                new Approx(
                        "SELECT service, approx_count_distinct(message) FROM logs GROUP BY service",
                        1,
                        "SELECT service, count(DISTINCT message) FROM logs GROUP BY service",
                        null,
                        null),
                new Approx(
                        "SELECT approx_count_distinct(message) FROM logs",
                        0,
                        "SELECT count(DISTINCT message) FROM logs",
                        null,
                        null),
                new Approx(
                        "SELECT level, approx_count_distinct(regexp_extract(message, '[Uu]ser (\\d+)', 1)) FROM logs GROUP BY level",
                        1,
                        "SELECT level, count(DISTINCT regexp_extract(message, '[Uu]ser (\\d+)', 1)) FROM logs GROUP BY level",
                        null,
                        null),
                new Approx(
                        "SELECT service, approx_quantile(" + lat + ", 0.95) AS p95" + where,
                        1,
                        null,
                        "SELECT service, quantile_disc(" + lat + ", " + (0.95 - 2 * kllEpsilon()) + ")" + where,
                        "SELECT service, quantile_disc(" + lat + ", " + Math.min(1, 0.95 + 2 * kllEpsilon()) + ")"
                                + where),
                new Approx(
                        "SELECT approx_quantile(length(message), 0.5) FROM logs",
                        0,
                        null,
                        "SELECT quantile_disc(length(message), " + (0.5 - 2 * kllEpsilon()) + ") FROM logs",
                        "SELECT quantile_disc(length(message), " + (0.5 + 2 * kllEpsilon()) + ") FROM logs"),
                new Approx(
                        "SELECT approx_quantile(CAST(length(message) AS DOUBLE), 0.9) FROM logs",
                        0,
                        null,
                        "SELECT quantile_disc(CAST(length(message) AS DOUBLE), " + (0.9 - 2 * kllEpsilon())
                                + ") FROM logs",
                        "SELECT quantile_disc(CAST(length(message) AS DOUBLE), " + (0.9 + 2 * kllEpsilon())
                                + ") FROM logs"),
                new Approx(
                        "SELECT date_trunc('hour', timestamp) AS h, approx_quantile(" + lat + ", 0.5) FROM logs"
                                + " WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY 1",
                        1,
                        null,
                        "SELECT date_trunc('hour', timestamp) AS h, quantile_disc(" + lat + ", "
                                + (0.5 - 2 * kllEpsilon())
                                + ") FROM logs WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY 1",
                        "SELECT date_trunc('hour', timestamp) AS h, quantile_disc(" + lat + ", "
                                + (0.5 + 2 * kllEpsilon())
                                + ") FROM logs WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY 1"));
    }

    /** KLL's normalized rank error for k = 200 (99% confidence); the tests allow twice that. */
    static double kllEpsilon() {
        return org.apache.datasketches.kll.KllSketch.getNormalizedRankError(Aggregates.KLL_K, false);
    }

    static int runs;

    static QueryResult ours(String sql, Path file) throws Exception {
        return ours(sql, file, QuerySchema.defaultFormat());
    }

    static QueryResult ours(String sql, Path file, QuerySchema schema) throws Exception {
        SqlQuery q = SqlQuery.parse(sql, schema);
        int n = runs++;
        LocalQueryJob job = new LocalQueryJob(
                q,
                List.of(file),
                () -> FormatReader.of(q),
                1 + n % 3,
                1 + n % 4,
                n % 3 != 0,
                n % 2 == 0 ? 64 << 10 : 64 << 20,
                dir);
        return new LocalJobRunner(2).runQuery(job);
    }

    static List<List<Object>> rows(QueryResult r) {
        List<List<Object>> rows = new ArrayList<>();
        for (QueryRow row : r.rows()) {
            rows.add(Arrays.asList(row.values()));
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exact")
    void everyRowEqualsDuckDb(String sql) throws Exception {
        compare(sql, rows(ours(sql, data)), duck.query(sql));
    }

    static Stream<Arguments> inOtherFormats() {
        return Stream.of(CorpusData.Shape.ECS, CorpusData.Shape.JSON)
                .flatMap(shape -> exact().map(sql -> Arguments.of(shape, sql)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("inOtherFormats")
    void everyRowEqualsDuckDbInOtherFormats(CorpusData.Shape shape, String sql) throws Exception {
        compare(
                sql,
                rows(ours(sql, files.get(shape), schema(shape))),
                ducks.get(shape).query(sql));
    }

    @ParameterizedTest(name = "empty input: {0}")
    @MethodSource("exact")
    void everyRowEqualsDuckDbOnEmptyInput(String sql) throws Exception {
        compare(sql, rows(ours(sql, empty)), duckEmpty.query(sql));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("approximate")
    void approximateAggregatesAreWithinTheirBounds(Approx a) throws Exception {
        List<List<Object>> ours = sorted(rows(ours(a.sql(), data)));
        if (a.exactSql() != null) {
            List<List<Object>> exact = sorted(duck.query(a.exactSql()));
            assertThat(ours).hasSameSizeAs(exact);
            for (int i = 0; i < ours.size(); i++) {
                long want = (Long) exact.get(i).get(a.column());
                long got = (Long) ours.get(i).get(a.column());
                assertThat((double) Math.abs(got - want))
                        .as("%s row %d: %d against exact %d", a.sql(), i, got, want)
                        .isLessThanOrEqualTo(Math.max(1, HLL_BOUND * want));
            }
        } else {
            List<List<Object>> low = sorted(duck.query(a.lowSql()));
            List<List<Object>> high = sorted(duck.query(a.highSql()));
            assertThat(ours).hasSameSizeAs(low);
            for (int i = 0; i < ours.size(); i++) {
                double got = ((Number) ours.get(i).get(a.column())).doubleValue();
                double lo = ((Number) low.get(i).get(a.column())).doubleValue();
                double hi = ((Number) high.get(i).get(a.column())).doubleValue();
                assertThat(got).as("%s row %d: rank within 2 eps", a.sql(), i).isBetween(lo, hi);
            }
        }
    }

    @Test
    void theCorpusHasSixtyQueriesAtLeast() {
        assertThat(exact().count() + approximate().count()).isGreaterThanOrEqualTo(60);
    }

    static void compare(String sql, List<List<Object>> ours, List<List<Object>> theirs) {
        boolean ordered = sql.toUpperCase(Locale.ROOT).contains("ORDER BY");
        List<List<Object>> a = ordered ? ours : sorted(ours);
        List<List<Object>> b = ordered ? theirs : sorted(theirs);
        if (a.size() != b.size()) {
            fail("%s: %d rows, DuckDB %d%n ours:   %s%n DuckDB: %s", sql, a.size(), b.size(), head(a), head(b));
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                fail("%s: row %d differs%n ours:   %s%n DuckDB: %s", sql, i, a.get(i), b.get(i));
            }
        }
    }

    private static List<List<Object>> head(List<List<Object>> rows) {
        return rows.subList(0, Math.min(5, rows.size()));
    }

    static boolean same(List<Object> x, List<Object> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            Object a = x.get(i);
            Object b = y.get(i);
            if (a == null || b == null) {
                if (a != b) {
                    return false;
                }
            } else if (a instanceof Double || b instanceof Double) {
                double p = ((Number) a).doubleValue();
                double q = ((Number) b).doubleValue();
                if (Math.abs(p - q) > DOUBLE_TOLERANCE * Math.max(1, Math.max(Math.abs(p), Math.abs(q)))) {
                    return false;
                }
            } else if (!a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(SqlCorpusTest::sortKey));
        return copy;
    }

    private static String sortKey(List<Object> row) {
        StringBuilder b = new StringBuilder();
        for (Object v : row) {
            b.append(v instanceof Double d ? String.format(Locale.ROOT, "%.6e", d) : String.valueOf(v))
                    .append('\u0001');
        }
        return b.toString();
    }
}
