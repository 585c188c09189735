package dev.mapreduce.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mapreduce.engine.format.FormatException;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.engine.task.MapTask;
import dev.mapreduce.testing.FormatGen;
import dev.mapreduce.testing.LogGen;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs over other formats: multi-line events at any split count, a wrong format failing loudly, fields renamed. */
class FormatJobsTest {

    @TempDir
    Path dir;

    static LocalJob job(Path input, String map, Map<String, String> parameters, int mappers, FormatSpec format) {
        return new LocalJob(List.of(input), map, parameters, "SUM", mappers, 3, true, MapTask.DEFAULT_SORT_BUFFER_BYTES)
                .withFormat(format);
    }

    @Test
    void log4jStackTracesCountTheSameAtOneThreeAndEightSplits() throws IOException {
        Path log = dir.resolve("app.log");
        FormatGen gen = new FormatGen(8);
        Map<String, Long> expected = new TreeMap<>();
        int events = 20_000;
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events; i++) {
                FormatGen.Line line = gen.log4j();
                w.write(line.text());
                w.write('\n');
                String exception = line.fields().get("exception");
                if (exception != null) {
                    expected.merge(exception, 1L, Long::sum);
                }
            }
        }
        List<String> rows = null;
        for (int mappers : List.of(1, 3, 8)) {
            Rows out = new Rows();
            JobResult result = new LocalJobRunner(2)
                    .run(job(log, "COUNT_BY", Map.of("field", "exception"), mappers, FormatSpec.of("log4j")), out);
            assertThat(result.counters().recordsRead())
                    .as("events at %d splits", mappers)
                    .isEqualTo(events);
            assertThat(result.counters().malformedRecords()).isZero();
            if (rows == null) {
                rows = out.rows();
            }
            assertThat(out.rows()).as("%d splits", mappers).isEqualTo(rows);
        }
        assertThat(rows)
                .isEqualTo(expected.entrySet().stream()
                        .map(e -> e.getKey() + "\t" + e.getValue())
                        .toList());
    }

    @Test
    void aWrongFormatOverTenThousandLinesFailsNamingTheFormatASampleAndWhy() throws IOException {
        Path input = dir.resolve("logs.jsonl");
        try (OutputStream out = Files.newOutputStream(input)) {
            new LogGen(3).write(out, 10_000, true, 0, Instant.parse("2026-11-20T00:00:00Z"), 1000);
        }
        JobFailedException e = catchThrowableOfType(JobFailedException.class, () -> new LocalJobRunner(2)
                .run(
                        job(input, "COUNT_BY", Map.of("field", "status"), 4, FormatSpec.of("apache_combined")),
                        new Rows()));
        assertThat(e.getMessage())
                .startsWith("10000 of 10000 records (100.0%) are not in format apache_combined, more than"
                        + " maxMalformedRatio 0.5 allows; first: " + input
                        + " at byte 0: no [time] after the user: \"{\\\"timestamp\\\":");
    }

    @Test
    void theMalformedLimitIsTheJobsToSet() throws IOException {
        Path input = dir.resolve("mixed.log");
        FormatGen gen = new FormatGen(4);
        try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 1000; i++) {
                w.write(
                        i % 10 < 3
                                ? "not an access log line\n"
                                : gen.access(false).text() + "\n");
            }
        }
        LocalJob job = job(input, "COUNT_BY", Map.of("field", "status"), 2, FormatSpec.of("apache_common"));
        JobResult passes = new LocalJobRunner(2).run(job, new Rows());
        assertThat(passes.counters().malformedRecords()).isEqualTo(300);
        List<MalformedRecords.Sample> samples =
                passes.counters().malformedSamples().samples();
        assertThat(samples).hasSize(MalformedRecords.MAX_SAMPLES);
        assertThat(samples.get(0))
                .isEqualTo(new MalformedRecords.Sample(
                        input + " at byte 0", "no [time] after the user", "not an access log line"));
        assertThatThrownBy(() -> new LocalJobRunner(2).run(job.withMaxMalformedRatio(0.25), new Rows()))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("300 of 1000 records (30.0%)")
                .hasMessageContaining("maxMalformedRatio 0.25");
    }

    @Test
    void aFunctionReadsARenamedFieldAndAMissingOneIsNamedBeforeTheJobStarts() throws IOException {
        Path input = dir.resolve("access.log");
        FormatGen gen = new FormatGen(5);
        Map<String, Long> words = new HashMap<>();
        try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 2000; i++) {
                FormatGen.Line line = gen.access(true);
                w.write(line.text() + "\n");
                for (String token : line.fields().get("request").split("[^A-Za-z0-9_]+")) {
                    if (!token.isEmpty()) {
                        words.merge(token.toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
                    }
                }
            }
        }
        Rows out = new Rows();
        new LocalJobRunner(2)
                .run(
                        job(
                                input,
                                "WORD_COUNT",
                                Map.of(),
                                2,
                                FormatSpec.of("apache_combined").withFields(Map.of("message", "request"))),
                        out);
        assertThat(out.rows())
                .isEqualTo(new TreeMap<>(words)
                        .entrySet().stream()
                                .map(e -> e.getKey() + "\t" + e.getValue())
                                .toList());
        assertThatThrownBy(() -> new LocalJobRunner(2)
                        .run(job(input, "WORD_COUNT", Map.of(), 2, FormatSpec.of("apache_combined")), new Rows()))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining(
                        "WORD_COUNT reads the field 'message', which format apache_combined does not have")
                .hasMessageContaining("\"fields\": {\"message\": \"<field>\"}");
    }
}
