package dev.mapreduce.engine.sql;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The corpus of queries that cannot run: each with the line and column of what is wrong and a
 * word its message must contain. {@link BadQueryTest} parses each; the gateway's JobApiIT submits
 * each to {@code POST /api/jobs} (a 400 problem with the position, and no job).
 */
public final class BadQueries {

    private BadQueries() {}

    /** Arguments: a short name, the query, the line and column expected, and a word the message must contain. */
    public static Stream<Arguments> all() {
        return Stream.of(
                // syntax
                bad("SELECT service, FROM logs", 1, 15, "syntax error"),
                bad("SELECT count(* FROM logs", 1, 16, "syntax error"),
                bad("SELEC service FROM logs", 1, 1, "syntax error"),
                bad("SELECT service FROM logs WHERE", 1, 26, "syntax error"),
                bad("SELECT 'unterminated FROM logs", 1, 8, "syntax error"),
                bad("SELECT service FROM logs GROUP service", 1, 26, "syntax error"),
                bad("SELECT service\nFROM logs\nWHERE level = = 'x'", 3, 13, "syntax error"),
                bad("SELECT a // 2 FROM logs", 1, 10, "integer division"),
                // names
                bad("SELECT nope FROM (SELECT service FROM logs)", 1, 8, "unknown column 'nope'"),
                bad("SELECT s FROM (SELECT service AS s FROM logs) WHERE lvl = 'ERROR'", 1, 53, "unknown column 'lvl'"),
                bad("SELECT service FROM events", 1, 21, "unknown table"),
                bad("SELECT x.service FROM logs", 1, 8, "unknown table 'x'"),
                bad("SELECT w FROM (SELECT message AS m FROM logs)", 1, 8, "unknown column 'w'"),
                bad("SELECT service FROM logs ORDER BY 3", 1, 35, "position 3"),
                bad("SELECT service, count(*) FROM logs GROUP BY 5", 1, 45, "position 5"),
                // unsupported constructs
                bad("SELECT a.service FROM logs a JOIN logs b ON a.service = b.service", 1, 30, "JOIN"),
                bad("SELECT service FROM logs UNION SELECT level FROM logs", 1, 1, "UNION"),
                bad("WITH t AS (SELECT service FROM logs) SELECT * FROM t", 1, 1, "WITH"),
                bad("SELECT service, row_number() OVER (ORDER BY service) FROM logs", 1, 17, "window functions"),
                bad("SELECT service FROM logs WHERE service IN (SELECT level FROM logs)", 1, 44, "subquery"),
                bad("SELECT service, count(*) FROM logs GROUP BY ROLLUP(service)", 1, 45, "ROLLUP"),
                bad("SELECT sum(DISTINCT length(message)) FROM logs", 1, 8, "count() only"),
                bad("SELECT service FROM logs WHERE message SIMILAR TO 'a%'", 1, 32, "SIMILAR"),
                bad("SELECT service FROM logs WHERE message LIKE 'a!%' ESCAPE '!'", 1, 58, "ESCAPE"),
                bad("SELECT unnest(tokenize(message)) AS w, count(*) FROM logs GROUP BY w", 1, 8, "unnest"),
                bad("SELECT tokenize(message) FROM logs", 1, 8, "unnest(tokenize"),
                bad("SELECT unnest(message) FROM logs", 1, 8, "tokenize"),
                bad("SELECT md5(message) FROM logs", 1, 8, "unknown function md5"),
                bad("SELECT CAST(message AS DECIMAL(10, 2)) FROM logs", 1, 24, "DECIMAL"),
                bad("SELECT count(*) FILTER (WHERE level = 'ERROR') FROM logs", 1, 8, "FILTER"),
                bad("SELECT time_bucket(INTERVAL '1' MONTH, timestamp) FROM logs", 1, 20, "MONTH"),
                bad("SELECT date_trunc('week', timestamp) FROM logs", 1, 19, "week"),
                // aggregates in the wrong place
                bad("SELECT service FROM logs WHERE count(*) > 1", 1, 32, "not allowed"),
                bad("SELECT service, count(*) FROM logs", 1, 8, "GROUP BY"),
                bad("SELECT service, level, count(*) FROM logs GROUP BY service", 1, 17, "GROUP BY"),
                bad("SELECT count(count(*)) FROM logs", 1, 14, "nested"),
                bad("SELECT service FROM logs GROUP BY count(*)", 1, 35, "GROUP BY"),
                // types
                bad("SELECT service FROM logs WHERE length(message) = 'abc'", 1, 50, "could not convert"),
                bad("SELECT service FROM logs WHERE service = 3", 1, 32, "cannot compare VARCHAR with BIGINT"),
                bad("SELECT service + 1 FROM logs", 1, 8, "cannot apply"),
                bad("SELECT sum(message) FROM logs", 1, 12, "sum() needs a number"),
                bad("SELECT avg(service) FROM logs GROUP BY level", 1, 12, "avg() needs a number"),
                bad("SELECT service FROM logs WHERE message", 1, 32, "BOOLEAN"),
                bad("SELECT lower(length(message)) FROM logs", 1, 14, "VARCHAR"),
                bad("SELECT CASE WHEN true THEN 1 ELSE 'x' END FROM logs", 1, 8, "cannot be mixed"),
                bad("SELECT date_trunc('minute', service) FROM logs", 1, 29, "TIMESTAMP"),
                bad("SELECT approx_quantile(length(message), 1.5) FROM logs", 1, 41, "from 0 to 1"),
                bad("SELECT approx_quantile(message, 0.5) FROM logs", 1, 24, "number"),
                bad("SELECT CAST(timestamp AS BOOLEAN) FROM logs", 1, 8, "cannot cast"),
                bad("SELECT service FROM logs LIMIT -1", 1, 26, "LIMIT"),
                bad("SELECT substr(message) FROM logs", 1, 8, "arguments"),
                bad("SELECT regexp_extract(message, '(a)', 3) FROM logs", 1, 39, "groups"),
                bad("SELECT service FROM logs WHERE message LIKE service", 1, 45, "constant"),
                // regular expressions
                bad("SELECT count(*) FROM logs WHERE regexp_matches(message, '((a{100}){100}){100}')", 1, 57, "steps"),
                bad(
                        "SELECT count(*) FROM logs WHERE regexp_matches(message, '(a+')",
                        1,
                        57,
                        "invalid regular expression"),
                bad(
                        "SELECT count(*) FROM logs WHERE regexp_matches(message, '(?=a)b')",
                        1,
                        57,
                        "invalid regular expression"),
                bad(
                        "SELECT count(*) FROM logs WHERE regexp_matches(message, '(a)\\1')",
                        1,
                        57,
                        "invalid regular expression"),
                bad("SELECT regexp_extract(message, '" + "x".repeat(3000) + "') FROM logs", 1, 32, "longer than"),
                // a query of 1 MB (10^6 bytes: a body over 1 MiB is a 413 at the gateway, before any parsing)
                bad(
                        "SELECT count(*) FROM logs WHERE message <> '" + "x".repeat(1_000_000) + "'",
                        1,
                        100_001,
                        "longer than"),
                bad("", 0, 0, "empty"));
    }

    private static Arguments bad(String sql, int line, int column, String message) {
        return Arguments.of(sql.length() > 120 ? sql.substring(0, 117) + "..." : sql, sql, line, column, message);
    }
}
