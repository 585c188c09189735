package dev.mapreduce.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mapreduce.engine.local.LocalJobRunner;
import dev.mapreduce.engine.local.LocalQueryJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queries that cannot run: each is a {@link QueryException} with a position (line and column of
 * what is wrong) and a message naming it, never another exception.
 */
class BadQueryTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mapreduce.engine.sql.BadQueries#all")
    void isAQueryExceptionWithItsPosition(String name, String sql, int line, int column, String message) {
        Throwable thrown = catchThrowable(() -> SqlQuery.parse(sql, QuerySchema.defaultFormat()));
        assertThat(thrown).as(sql).isInstanceOf(QueryException.class);
        QueryException e = (QueryException) thrown;
        assertThat(e.getMessage()).as(sql).containsIgnoringCase(message);
        assertThat(new int[] {e.line(), e.column()})
                .as(sql + ": " + e.getMessage())
                .containsExactly(line, column);
    }

    @Test
    void theCorpusHasFortyBadQueriesAtLeast() {
        assertThat(BadQueries.all().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void aCastThatFailsWhileRunningIsAQueryExceptionWithThePositionOfTheCast(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(
                file,
                "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"a\",\"message\":\"12\"}\n"
                        + "{\"timestamp\":\"2026-11-20T00:00:01Z\",\"level\":\"INFO\",\"service\":\"a\",\"message\":\"x\"}\n");
        SqlQuery q = SqlQuery.parse("SELECT sum(\n  CAST(message AS BIGINT)) FROM logs", QuerySchema.defaultFormat());
        assertThatThrownBy(() -> new LocalJobRunner(1)
                        .runQuery(LocalQueryJob.of(q, List.of(file), () -> FormatReader.of(q), 1, 1)))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.getMessage()).contains("could not convert 'x' to BIGINT");
                    assertThat(new int[] {e.line(), e.column()}).containsExactly(2, 3);
                });
    }

    @Test
    void tryCastGivesNullWhereCastFails() {
        SqlQuery q = SqlQuery.parse("SELECT sum(TRY_CAST(message AS BIGINT)) FROM logs", QuerySchema.defaultFormat());
        assertThat(q.columns()).containsExactly(new ResultColumn("sum(TRY_CAST(message AS BIGINT))", SqlType.BIGINT));
    }
}
