package dev.mapreduce.engine.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.sql.FormatReader;
import dev.mapreduce.engine.sql.QueryRow;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.testing.FormatGen;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries read records as the format cuts them: a csv file's header names its columns, multi-line events join. */
class FormatQueriesTest {

    @TempDir
    Path dir;

    @Test
    void aCsvHeaderNamesEachFilesColumnsAndIsNotARowAtAnySplitCount() throws IOException {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        FormatGen gen = new FormatGen(18);
        Map<String, long[]> expected = new TreeMap<>(); // user -> rows, sum of amount
        try (Writer wa = Files.newBufferedWriter(a, StandardCharsets.UTF_8);
                Writer wb = Files.newBufferedWriter(b, StandardCharsets.UTF_8)) {
            wa.write("time,user,action,amount,note\n");
            wb.write("time,user,action,amount,note\n");
            for (int i = 0; i < 3000; i++) {
                FormatGen.Line line = gen.csv(',');
                (i % 3 == 0 ? wb : wa).write(line.text() + "\n");
                long[] e = expected.computeIfAbsent(line.fields().get("user"), u -> new long[2]);
                e[0]++;
                String amount = line.fields().get("amount");
                e[1] += amount == null ? 0 : Long.parseLong(amount);
            }
        }
        List<List<Object>> want = new ArrayList<>();
        expected.forEach((user, e) -> want.add(List.of(user, e[0], e[1])));
        String sql = "SELECT \"user\", count(*) AS n, sum(coalesce(CAST(amount AS BIGINT), 0)) AS total"
                + " FROM logs GROUP BY \"user\" ORDER BY \"user\"";

        for (int mappers : List.of(1, 2, 7)) {
            QueryResult result = run(sql, FormatSpec.of("csv"), List.of(a, b), mappers);

            assertThat(rows(result)).as("%d mappers", mappers).isEqualTo(want);
            assertThat(result.job().counters().recordsRead()).isEqualTo(3000);
            assertThat(result.job().counters().malformedRecords()).isZero();
        }
    }

    @Test
    void log4jStackTracesJoinTheirEventAtAnySplitCount() throws IOException {
        Path log = dir.resolve("app.log");
        FormatGen gen = new FormatGen(4);
        Map<String, Long> expected = new TreeMap<>();
        int events = 5000;
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events; i++) {
                FormatGen.Line line = gen.log4j();
                w.write(line.text() + "\n");
                String exception = line.fields().get("exception");
                if (exception != null) {
                    expected.merge(exception, 1L, Long::sum);
                }
            }
        }
        List<List<Object>> want = new ArrayList<>();
        expected.forEach((exception, n) -> want.add(List.of(exception, n)));
        String sql = "SELECT exception, count(*) AS n FROM logs WHERE exception IS NOT NULL"
                + " GROUP BY exception ORDER BY exception";

        for (int mappers : List.of(1, 3, 8)) {
            QueryResult result = run(sql, FormatSpec.of("log4j"), List.of(log), mappers);

            assertThat(rows(result)).as("%d mappers", mappers).isEqualTo(want);
            assertThat(result.job().counters().recordsRead()).isEqualTo(events);
        }
    }

    private QueryResult run(String sql, FormatSpec format, List<Path> inputs, int mappers) throws IOException {
        SqlQuery query = SqlQuery.parse(sql, QuerySchema.of(Formats.compile(format)));
        LocalQueryJob job =
                new LocalQueryJob(query, inputs, () -> FormatReader.of(query), mappers, 3, true, 64 << 20, dir);
        return new LocalJobRunner(2).runQuery(job);
    }

    private static List<List<Object>> rows(QueryResult result) {
        List<List<Object>> rows = new ArrayList<>();
        for (QueryRow row : result.rows()) {
            rows.add(Arrays.asList(row.values()));
        }
        return rows;
    }
}
