package dev.mapreduce.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.engine.function.JobFunctionException;
import dev.mapreduce.testing.LogGen;
import dev.mapreduce.testing.NaiveLogJob;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The output does not depend on how many mappers or reducers run, or on the combiner. */
class LocalJobRunnerInvarianceTest {

    @TempDir
    static Path dir;

    private static final List<String[]> JOBS = List.of(
            new String[] {"WORD_COUNT", "SUM"},
            new String[] {"SERVICE_DISTRIBUTION", "COUNT"},
            new String[] {"LATENCY", "AVG"},
            new String[] {"LATENCY", "MIN"},
            new String[] {"LATENCY", "MAX"});

    private static Path input;
    private static final Map<String, List<String>> expected = new java.util.HashMap<>();

    @BeforeAll
    static void generate() throws IOException {
        input = dir.resolve("logs.jsonl");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(input))) {
            new LogGen(7).write(out, 60_000, true, 0.02, Instant.parse("2026-11-20T00:00:00Z"), 1000);
        }
        for (String[] job : JOBS) {
            expected.put(job[0] + "/" + job[1], NaiveLogJob.rows(NaiveLogJob.run(input, job[0]), job[1]));
        }
    }

    static Stream<Arguments> layouts() {
        return Stream.of(1, 3, 8).flatMap(m -> Stream.of(1, 2, 7)
                .flatMap(r -> Stream.of(true, false).map(c -> Arguments.of(m, r, c))));
    }

    @ParameterizedTest(name = "{0} mappers, {1} reducers, combiner {2}")
    @MethodSource("layouts")
    void everyLayoutGivesTheSameRows(int mappers, int reducers, boolean combiner) throws IOException {
        for (String[] job : JOBS) {
            Rows rows = new Rows();
            new LocalJobRunner(3)
                    .run(
                            LocalJob.of(List.of(input), job[0], job[1], mappers, reducers)
                                    .withCombiner(combiner),
                            rows);
            assertThat(rows.rows()).as("%s/%s", job[0], job[1]).isEqualTo(expected.get(job[0] + "/" + job[1]));
        }
    }

    @Test
    void averageWithCombinerEqualsAverageWithout() throws IOException {
        Rows with = new Rows();
        Rows without = new Rows();
        new LocalJobRunner(2).run(LocalJob.of(List.of(input), "LATENCY", "AVG", 5, 3), with);
        new LocalJobRunner(2)
                .run(LocalJob.of(List.of(input), "LATENCY", "AVG", 5, 3).withCombiner(false), without);
        assertThat(with.rows()).isEqualTo(without.rows());
        assertThat(with.rows()).as("averages are not all whole numbers").anyMatch(row -> row.contains("."));
    }

    @Test
    void combinerShrinksTheShuffleWithoutChangingTheCounts() throws IOException {
        JobResult with = new LocalJobRunner(2).run(LocalJob.of(List.of(input), "WORD_COUNT", "SUM", 3, 2), new Rows());
        JobResult without = new LocalJobRunner(2)
                .run(LocalJob.of(List.of(input), "WORD_COUNT", "SUM", 3, 2).withCombiner(false), new Rows());
        assertThat(with.counters().mapOutputRecords())
                .isEqualTo(without.counters().mapOutputRecords());
        assertThat(without.counters().combineOutputRecords())
                .isEqualTo(without.counters().mapOutputRecords());
        assertThat(with.counters().combineOutputRecords())
                .isLessThan(without.counters().combineOutputRecords() / 3);
        assertThat(with.counters().totalShuffleBytes())
                .isLessThan(without.counters().totalShuffleBytes());
    }

    @Test
    void aTinySortBufferSpillsAndStillGivesTheSameRows() throws IOException {
        LocalJob job = LocalJob.of(List.of(input), "WORD_COUNT", "SUM", 2, 3);
        LocalJob tiny = new LocalJob(job.inputs(), "WORD_COUNT", Map.of(), "SUM", 2, 3, true, 64 * 1024);
        Rows rows = new Rows();
        Rows tinyRows = new Rows();
        new LocalJobRunner(2).run(job, rows);
        new LocalJobRunner(2).run(tiny, tinyRows);
        assertThat(tinyRows.rows()).isEqualTo(rows.rows());
    }

    @Test
    void gzipAndFolderInputsReadTheSameLines() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        byte[] data = Files.readAllBytes(input);
        int half = data.length / 2;
        while (data[half - 1] != '\n') {
            half++;
        }
        Files.write(folder.resolve("a.jsonl"), java.util.Arrays.copyOfRange(data, 0, half));
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(folder.resolve("b.jsonl.gz")))) {
            gz.write(data, half, data.length - half);
        }
        Files.writeString(folder.resolve("_SUCCESS"), "not input");
        Rows plain = new Rows();
        Rows mixed = new Rows();
        new LocalJobRunner(2).run(LocalJob.of(List.of(input), "WORD_COUNT", "SUM", 4, 2), plain);
        JobResult result = new LocalJobRunner(2).run(LocalJob.of(List.of(folder), "WORD_COUNT", "SUM", 4, 2), mixed);
        assertThat(mixed.rows()).isEqualTo(plain.rows());
        assertThat(result.counters().recordsRead()).isEqualTo(60_000);
    }

    @Test
    void badJobsFailBeforeAnyWorkWithAClearMessage() {
        LocalJobRunner runner = new LocalJobRunner(1);
        assertThatThrownBy(() -> runner.run(LocalJob.of(List.of(input), "WORDS", "SUM", 1, 1), new Rows()))
                .isInstanceOf(JobFunctionException.class)
                .hasMessageContaining("unknown map function 'WORDS'")
                .hasMessageContaining("WORD_COUNT, SERVICE_DISTRIBUTION, LEVEL_COUNT, ERROR_PATTERN, LATENCY");
        assertThatThrownBy(() -> runner.run(LocalJob.of(List.of(input), "WORD_COUNT", "MEDIAN", 1, 1), new Rows()))
                .hasMessageContaining("unknown reduce function 'MEDIAN'; valid: SUM, COUNT, MIN, MAX, AVG");
        assertThatThrownBy(() -> runner.run(LocalJob.of(List.of(input), "WORD_COUNT", "SUM", 1, 0), new Rows()))
                .hasMessageContaining("reducers must be at least 1");
        assertThatThrownBy(() ->
                        runner.run(LocalJob.of(List.of(dir.resolve("missing")), "WORD_COUNT", "SUM", 1, 1), new Rows()))
                .isInstanceOf(NoSuchFileException.class);
    }
}
