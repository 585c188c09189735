package dev.mapreduce.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.protocol.JobRequest.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRequestTest {

    static final Instant NOV_20 = Instant.parse("2026-11-20T00:00:00Z");
    static final Instant NOV_21 = Instant.parse("2026-11-21T00:00:00Z");

    @Test
    void theDefaultTopicIsTakenOnlyWhenNoInputIsGiven() {
        assertThat(job(null, null, null, null).withDefaults().inputTopic()).isEqualTo(JobRequest.DEFAULT_TOPIC);
        JobRequest files = job(null, "logs", null, null).withDefaults();
        assertThat(files.inputTopic()).isNull();
        assertThat(files.inputPath()).isEqualTo("logs");
        assertThat(files.validate()).isEmpty();
    }

    @Test
    void topicAndPathTogetherNameBothFields() {
        assertThat(errors(job("app", "logs", null, null)))
                .extracting(FieldError::field)
                .containsExactly("inputTopic", "inputPath");
    }

    @Test
    void aTimeRangeAppliesToTopicsOnly() {
        assertThat(errors(job(null, "logs", NOV_20, NOV_21)))
                .containsExactly(
                        new FieldError("from", "applies to topic input only, not to inputPath"),
                        new FieldError("to", "applies to topic input only, not to inputPath"));
        assertThat(errors(job("app", null, NOV_20, NOV_21))).isEmpty();
        assertThat(errors(job(null, null, NOV_20, null))).isEmpty();
        assertThat(errors(job(null, null, null, NOV_21))).isEmpty();
    }

    @Test
    void fromMustBeBeforeTo() {
        assertThat(errors(job("app", null, NOV_21, NOV_20)))
                .containsExactly(new FieldError("to", "must be after from (2026-11-21T00:00:00Z)"));
        assertThat(errors(job("app", null, NOV_20, NOV_20)))
                .extracting(FieldError::field)
                .containsExactly("to");
    }

    @Test
    void timesBeforeTheEpochOrAfterYear9999AreOutOfRange() {
        assertThat(errors(job(
                        "app", null, Instant.parse("1969-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"))))
                .extracting(FieldError::field)
                .containsExactly("from", "to");
    }

    @Test
    void aBadInputPathIsNamedWithEveryOtherWrongFieldAtOnce() {
        JobRequest request = new JobRequest("", null, "../etc", NOV_20, null, 0, 2, "WORD_COUNT", "SUM", Map.of(), true)
                .withDefaults();

        assertThat(request.validate())
                .containsExactly(
                        new FieldError("jobName", "is required"),
                        new FieldError("inputPath", "must not contain a .. segment"),
                        new FieldError("from", "applies to topic input only, not to inputPath"),
                        new FieldError("numMappers", "must be between 1 and 1024"));
    }

    @Test
    void absentOptionalFieldsAreLeftOutOfTheJsonAndTimesAreIsoInstants() {
        JobRequest topic = new JobRequest("a", "app", 4, 2, "WORD_COUNT", "SUM", Map.of(), true);
        String json = new String(Messages.encode(topic), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("inputPath", "from", "\"to\"");

        JobRequest ranged = job("app", null, NOV_20, NOV_21);
        String rangedJson = new String(Messages.encode(ranged), StandardCharsets.UTF_8);
        assertThat(rangedJson).contains("\"from\":\"2026-11-20T00:00:00Z\"", "\"to\":\"2026-11-21T00:00:00Z\"");
        assertThat(Messages.decode(rangedJson.getBytes(StandardCharsets.UTF_8), JobRequest.class))
                .isEqualTo(ranged);
    }

    @Test
    void aTaskMessageWithoutFilesStillDecodesAndKeepsItsFilesAcrossAttempts() {
        String legacy =
                """
                {"jobId":"0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b","type":"MAP","taskIndex":0,"attempt":1,
                 "mapFunction":"WORD_COUNT","reduceFunction":"SUM","parameters":{},"combiner":true,
                 "numReducers":2,"inputTopic":"t","ranges":[{"partition":0,"start":0,"end":5}],"mapRuns":[]}""";
        TaskMessage task = Messages.decode(legacy.getBytes(StandardCharsets.UTF_8), TaskMessage.class);
        assertThat(task.files()).isEmpty();
        assertThat(task.ranges()).containsExactly(new OffsetRange(0, 0, 5));

        TaskMessage files = new TaskMessage(
                task.jobId(),
                TaskType.MAP,
                0,
                1,
                "WORD_COUNT",
                "SUM",
                Map.of(),
                true,
                2,
                null,
                List.of(),
                List.of(new FileSplit("logs/a.log", 0, 100, false), new FileSplit("logs/b.gz", 0, 7, true)),
                List.of(),
                null);
        TaskMessage again = files.withAttempt(2, List.of("w1"));
        assertThat(again.files()).isEqualTo(files.files());
        assertThat(Messages.decode(Messages.encode(again), TaskMessage.class)).isEqualTo(again);
        assertThat(files.files().get(0)).hasToString("logs/a.log[0-100]");
    }

    @Test
    void aNulCharacterInAFunctionNameOrAParameterIsRefusedBeforeItReachesPostgreSql() {
        JobRequest nulFunctions =
                new JobRequest("job", "app", null, null, null, 4, 2, "\u0000WORD_COUNT", "SUM\u0000", Map.of(), true);
        assertThat(errors(nulFunctions)).extracting(FieldError::field).containsExactly("mapFunction", "reduceFunction");
        for (Map<String, String> parameters : List.of(Map.of("pattern.X", "a\u0000"), Map.of("pattern.X\u0000", "a"))) {
            JobRequest request =
                    new JobRequest("job", "app", null, null, null, 4, 2, "ERROR_PATTERN", "SUM", parameters, true);
            assertThat(errors(request)).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("parameters");
                assertThat(e.message()).contains("NUL");
            });
        }
        JobRequest spaced =
                new JobRequest("job", "app", null, null, null, 4, 2, " word_count ", " sum", Map.of(), true);
        assertThat(errors(spaced)).isEmpty();
    }

    @Test
    void aPresetWhoseFieldsTheFunctionReadsIsValidOverATopicOrFiles() {
        assertThat(errors(formatted(
                        "app", null, FormatSpec.of("apache_combined"), "COUNT_BY", Map.of("field", "status"))))
                .isEmpty();
        assertThat(errors(formatted(
                        null, "logs", FormatSpec.of("apache_combined"), "COUNT_BY", Map.of("field", "status"))))
                .isEmpty();
    }

    @Test
    void aFieldTheFormatLacksIsTheParametersMistakeWhenAParameterNamesIt() {
        assertThat(errors(
                        formatted("app", null, FormatSpec.of("apache_combined"), "COUNT_BY", Map.of("field", "nope"))))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("parameters.field");
                    assertThat(e.message()).contains("'nope'", "apache_combined", "status");
                });
        // WORD_COUNT reads message, which an access log does not have: the format must say which field it is
        assertThat(errors(formatted("app", null, FormatSpec.of("apache_combined"), "WORD_COUNT", Map.of())))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("format.fields");
                    assertThat(e.message()).contains("'message'");
                });
    }

    @Test
    void aFieldMapJoinsTheFormatsFieldsSoTheFunctionFindsItsField() {
        JobRequest request = new JobRequest(
                        "job",
                        "app",
                        null,
                        null,
                        null,
                        4,
                        2,
                        "WORD_COUNT",
                        "SUM",
                        Map.of(),
                        true,
                        FormatSpec.of("apache_combined"),
                        Map.of("message", "request"),
                        null)
                .withDefaults();

        assertThat(request.fieldMap()).isNull();
        assertThat(request.format().fields()).containsExactly(Map.entry("message", "request"));
        assertThat(request.validate()).isEmpty();
    }

    @Test
    void everyProblemOfTheFormatIsNamedAtOnceWithTheOtherWrongFields() {
        FormatSpec bad = new FormatSpec(
                "grok",
                "%{NO_SUCH_PATTERN:x}",
                null,
                null,
                null,
                null,
                null,
                null,
                new FormatSpec.TimestampSpec("x", null, "Mars/Olympus", null),
                new FormatSpec.MultilineSpec("(unclosed"));
        JobRequest request = new JobRequest(
                "job", "app", null, null, null, 0, 2, "WORD_COUNT", "SUM", Map.of(), true, bad, null, 1.5);

        List<FieldError> errors = errors(request);

        assertThat(errors).extracting(FieldError::field).contains("numMappers", "maxMalformedRatio");
        assertThat(errors.stream().filter(e -> e.field().startsWith("format")).toList())
                .extracting(FieldError::field)
                .contains("format.pattern", "format.timestamp.zone");
        assertThat(errors).anySatisfy(e -> assertThat(e.message()).contains("NO_SUCH_PATTERN"));
        assertThat(errors(formatted("app", null, FormatSpec.of("apache"), "WORD_COUNT", Map.of())))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("format.type");
                    assertThat(e.message()).contains("apache");
                });
    }

    @Test
    void aCsvHeaderCannotBeReadFromATopicButColumnsCan() {
        FormatSpec header = FormatSpec.of("csv").withFields(Map.of("service", "user"));
        assertThat(errors(formatted("app", null, header, "COUNT_BY", Map.of("field", "user"))))
                .extracting(FieldError::field)
                .containsExactly("format.header");
        assertThat(errors(formatted(null, "logs", header, "COUNT_BY", Map.of("field", "user"))))
                .isEmpty();
        FormatSpec columns =
                new FormatSpec("csv", null, null, null, null, List.of("time", "user"), null, null, null, null);
        assertThat(errors(formatted("app", null, columns, "COUNT_BY", Map.of("field", "user"))))
                .isEmpty();
    }

    @Test
    void aJobWithoutAFormatKeepsItsFormerJsonAndAFormatRoundTrips() {
        JobRequest plain = job("app", null, null, null).withDefaults();
        assertThat(plain.format()).isNull();
        assertThat(new String(Messages.encode(plain), StandardCharsets.UTF_8))
                .doesNotContain("format", "fieldMap", "maxMalformedRatio");

        JobRequest formatted = new JobRequest(
                        "job",
                        "app",
                        null,
                        null,
                        null,
                        4,
                        2,
                        "COUNT_BY",
                        "SUM",
                        Map.of("field", "status"),
                        true,
                        FormatSpec.of("apache_combined"),
                        null,
                        0.1)
                .withDefaults();
        assertThat(Messages.decode(Messages.encode(formatted), JobRequest.class))
                .isEqualTo(formatted);
    }

    @Test
    void aTaskMessageWithoutAFormatReadsTheDefaultFormatAndAFormatSurvivesAnotherAttempt() {
        String legacy =
                """
                {"jobId":"0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b","type":"MAP","taskIndex":0,"attempt":1,
                 "mapFunction":"WORD_COUNT","reduceFunction":"SUM","parameters":{},"combiner":true,
                 "numReducers":2,"inputTopic":"t","ranges":[{"partition":0,"start":0,"end":5}],"mapRuns":[]}""";
        TaskMessage task = Messages.decode(legacy.getBytes(StandardCharsets.UTF_8), TaskMessage.class);
        assertThat(task.format()).isNull();
        assertThat(task.formatOrDefault()).isEqualTo(FormatSpec.DEFAULT);

        FormatSpec log4j = FormatSpec.of("log4j").withFields(Map.of("service", "thread"));
        TaskMessage formatted = new TaskMessage(
                task.jobId(),
                TaskType.MAP,
                0,
                1,
                "COUNT_BY",
                "SUM",
                Map.of("field", "level"),
                true,
                2,
                "t",
                task.ranges(),
                List.of(),
                List.of(),
                null,
                log4j);
        TaskMessage again = formatted.withAttempt(2, List.of());
        assertThat(again.format()).isEqualTo(log4j);
        assertThat(Messages.decode(Messages.encode(again), TaskMessage.class)).isEqualTo(again);
    }

    private static JobRequest formatted(
            String topic, String path, FormatSpec format, String map, Map<String, String> parameters) {
        return new JobRequest("job", topic, path, null, null, 4, 2, map, "SUM", parameters, true, format, null, null);
    }

    private static JobRequest job(String topic, String path, Instant from, Instant to) {
        return new JobRequest("job", topic, path, from, to, 4, 2, "WORD_COUNT", "SUM", Map.of(), true);
    }

    private static List<FieldError> errors(JobRequest request) {
        return request.withDefaults().validate();
    }

    private static JobRequest queryJob(String query, String mapFunction, FormatSpec format) {
        return new JobRequest(
                        "q",
                        "app",
                        null,
                        null,
                        null,
                        null,
                        null,
                        mapFunction,
                        null,
                        null,
                        null,
                        format,
                        null,
                        null,
                        null,
                        query)
                .withDefaults();
    }

    @Test
    void aQueryJobHasNoFunctions() {
        JobRequest job = queryJob("SELECT service, count(*) AS n FROM logs GROUP BY service", null, null);

        assertThat(job.validate()).isEmpty();
        assertThat(job.hasQuery()).isTrue();
        assertThat(job.mapFunction()).isNull();
        assertThat(job.reduceFunction()).isNull();
        assertThat(job.parameters()).isNull();
    }

    @Test
    void aQueryBesideAMapFunctionIsRefused() {
        assertThat(queryJob("SELECT count(*) FROM logs", "WORD_COUNT", null).validate())
                .extracting(FieldError::field)
                .containsExactly("mapFunction");
    }

    @Test
    void aQueryThatCannotRunIsAQueryErrorWithItsPosition() {
        assertThat(queryJob("SELECT service FROM events", null, null).validate())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("query");
                    assertThat(e.message()).contains("unknown table");
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(21);
                });
        assertThat(queryJob("SELECT count(*)\n FROM logs JOIN logs b ON true", null, null)
                        .validate())
                .singleElement()
                .satisfies(e -> assertThat(e.line()).isEqualTo(2));
    }

    @Test
    void aQueryWithTheNulCharacterIsRefusedWithItsPosition() {
        assertThat(queryJob("SELECT 'a\0' FROM logs", null, null).validate())
                .containsExactly(new FieldError("query", "must not contain the NUL character (U+0000)", 1, 10));
    }
}
