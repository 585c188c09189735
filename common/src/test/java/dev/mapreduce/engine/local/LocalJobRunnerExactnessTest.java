package dev.mapreduce.engine.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.testing.LogGen;
import dev.mapreduce.testing.NaiveLogJob;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's output equals, row for row, an independent plain computation on a million LogGen
 * lines with 1% malformed ones, in both input forms, and its malformed counter is exact.
 */
class LocalJobRunnerExactnessTest {

    private static final int LINES = 1_000_000;
    private static Path dir;

    @BeforeAll
    static void generate() throws IOException {
        dir = Files.createTempDirectory("exactness");
        for (String format : List.of("json", "text")) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(format)), 1 << 20)) {
                new LogGen(42)
                        .write(out, LINES, format.equals("json"), 0.01, Instant.parse("2026-11-20T00:00:00Z"), 1000);
            }
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    static Stream<Arguments> jobs() {
        return Stream.of("json", "text")
                .flatMap(format -> Stream.of("WORD_COUNT", "SERVICE_DISTRIBUTION", "LEVEL_COUNT")
                        .map(map -> Arguments.of(format, map)));
    }

    @ParameterizedTest(name = "{1} over {0} lines")
    @MethodSource("jobs")
    void outputAndMalformedCountEqualAPlainComputation(String format, String map) throws IOException {
        Path input = dir.resolve(format);
        NaiveLogJob.Result expected = NaiveLogJob.run(input, map);

        Rows actual = new Rows();
        JobResult result = new LocalJobRunner(2).run(LocalJob.of(List.of(input), map, "SUM", 4, 3), actual);

        assertThat(actual.rows()).isEqualTo(NaiveLogJob.rows(expected, "SUM"));
        assertThat(result.counters().recordsRead()).isEqualTo(LINES).isEqualTo(expected.lines());
        assertThat(result.counters().malformedRecords()).isEqualTo(expected.malformed());
        assertThat(expected.malformed()).as("LogGen made malformed lines").isGreaterThan(LINES / 400);
        assertThat(result.counters().outputRecords()).isEqualTo(actual.rows().size());
    }
}
