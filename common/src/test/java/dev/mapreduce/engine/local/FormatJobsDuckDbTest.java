package dev.mapreduce.engine.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.task.MapTask;
import dev.mapreduce.testing.FormatGen;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs over files in other formats give, row for row, what DuckDB computes from the same bytes with
 * its own parsing (its regular expressions over the raw lines, its CSV reader), not ours: an nginx
 * combined log counted by status and summed by path, and a CSV file with quoted values.
 */
class FormatJobsDuckDbTest {

    static final int LINES = 30_000;

    @TempDir
    static Path dir;

    static Path access;
    static Path csv;
    static int malformed;
    static Connection duck;

    @BeforeAll
    static void generate() throws IOException, SQLException {
        FormatGen gen = new FormatGen(2026);
        access = dir.resolve("access.log");
        List<String> lines = new ArrayList<>();
        try (Writer w = Files.newBufferedWriter(access, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                String line =
                        i % 1000 == 999 ? "garbage line " + i : gen.access(true).text();
                malformed += line.startsWith("garbage") ? 1 : 0;
                lines.add(line);
                w.write(line);
                w.write('\n');
            }
        }
        csv = dir.resolve("events.csv");
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("time,user,action,amount,note\n");
            for (int i = 0; i < LINES; i++) {
                w.write(gen.csv(',').text());
                w.write('\n');
            }
        }
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE raw(line VARCHAR)");
        }
        try (PreparedStatement insert = duck.prepareStatement("INSERT INTO raw VALUES (?)")) {
            for (String line : lines) {
                insert.setString(1, line);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        // DuckDB's reading of the combined format: its own regular expression over each raw line
        try (Statement s = duck.createStatement()) {
            s.execute(
                    """
                    CREATE VIEW access AS
                    SELECT regexp_extract(line, '^\\S+ \\S+ \\S+ \\[[^\\]]*\\] "((?:[^"\\\\]|\\\\.)*)" ([0-9]+|-) ([0-9]+|-) "(?:[^"\\\\]|\\\\.)*" "(?:[^"\\\\]|\\\\.)*"$',
                                          ['request', 'status', 'bytes']) AS f
                    FROM raw
                    WHERE regexp_matches(line, '^\\S+ \\S+ \\S+ \\[[^\\]]*\\] "((?:[^"\\\\]|\\\\.)*)" ([0-9]+|-) ([0-9]+|-) "(?:[^"\\\\]|\\\\.)*" "(?:[^"\\\\]|\\\\.)*"$')
                    """);
            s.execute(
                    """
                    CREATE VIEW requests AS
                    SELECT nullif(f.status, '-') AS status,
                           TRY_CAST(nullif(f.bytes, '-') AS BIGINT) AS bytes,
                           nullif(regexp_extract(f.request, '^[A-Z]+ ([^ ]+)( [^ ]+)?$', 1), '') AS path
                    FROM access
                    """);
        }
    }

    @AfterAll
    static void close() throws SQLException {
        duck.close();
    }

    static List<String> duck(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = duck.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                rows.add(r.getString(1) + "\t" + r.getString(2));
            }
        }
        return rows;
    }

    static JobResult run(LocalJob job, Rows rows) throws IOException {
        return new LocalJobRunner(2).run(job, rows);
    }

    static LocalJob job(Path input, String map, Map<String, String> parameters, String reduce, FormatSpec format) {
        return new LocalJob(List.of(input), map, parameters, reduce, 3, 2, true, MapTask.DEFAULT_SORT_BUFFER_BYTES)
                .withFormat(format);
    }

    @Test
    void nginxCombinedCountByStatusEqualsDuckDb() throws Exception {
        Rows rows = new Rows();
        JobResult result =
                run(job(access, "COUNT_BY", Map.of("field", "status"), "SUM", FormatSpec.of("apache_combined")), rows);
        assertThat(result.counters().recordsRead()).isEqualTo(LINES);
        assertThat(result.counters().malformedRecords()).isEqualTo(malformed);
        assertThat(rows.rows())
                .isEqualTo(duck("SELECT status, count(*) FROM requests WHERE status IS NOT NULL GROUP BY status"
                        + " ORDER BY status COLLATE C"))
                .hasSizeGreaterThan(10);
    }

    @Test
    void nginxCombinedSumOfBytesByPathEqualsDuckDb() throws Exception {
        for (String reduce : List.of("SUM", "MAX", "COUNT")) {
            Rows rows = new Rows();
            run(
                    job(
                            access,
                            "VALUE_BY",
                            Map.of("key", "path", "value", "bytes"),
                            reduce,
                            FormatSpec.of("apache_combined")),
                    rows);
            String aggregate = reduce.equals("COUNT") ? "count(bytes)" : reduce.toLowerCase() + "(bytes)";
            assertThat(rows.rows())
                    .as(reduce)
                    .isEqualTo(
                            duck("SELECT path, " + aggregate + " FROM requests WHERE path IS NOT NULL AND bytes IS NOT"
                                    + " NULL GROUP BY path ORDER BY path COLLATE C"))
                    .hasSizeGreaterThan(8);
        }
    }

    @Test
    void csvWithQuotesEqualsDuckDbsCsvReader() throws Exception {
        FormatSpec spec = FormatSpec.of("csv");
        Rows byAction = new Rows();
        JobResult result = run(job(csv, "COUNT_BY", Map.of("field", "action"), "SUM", spec), byAction);
        assertThat(result.counters().recordsRead()).isEqualTo(LINES);
        assertThat(result.counters().malformedRecords()).isZero();
        String read = "read_csv('" + csv
                + "', header = true, quote = '\"', escape = '\"', all_varchar = true, allow_quoted_nulls = false)";
        assertThat(byAction.rows())
                .isEqualTo(duck("SELECT action, count(*) FROM " + read + " GROUP BY action ORDER BY action COLLATE C"))
                .anySatisfy(r -> assertThat(r).startsWith("paid, with coupon\t"))
                .anySatisfy(r -> assertThat(r).startsWith("said \"hi\"\t"));
        Rows amounts = new Rows();
        run(job(csv, "VALUE_BY", Map.of("key", "user", "value", "amount"), "SUM", spec), amounts);
        assertThat(amounts.rows())
                .isEqualTo(duck("SELECT user, sum(CAST(amount AS BIGINT)) FROM " + read
                        + " WHERE amount IS NOT NULL GROUP BY user ORDER BY user COLLATE C"));
        Rows notes = new Rows();
        run(job(csv, "COUNT_BY", Map.of("field", "note"), "SUM", spec), notes);
        assertThat(notes.rows())
                .isEqualTo(duck("SELECT note, count(*) FROM " + read
                        + " WHERE note IS NOT NULL GROUP BY note ORDER BY note COLLATE C"))
                .anySatisfy(r -> assertThat(r).startsWith("\t")); // "" is an empty note, not a missing one
    }
}
