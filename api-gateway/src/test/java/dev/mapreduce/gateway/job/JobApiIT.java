package dev.mapreduce.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.gateway.FakeCoordinator;
import dev.mapreduce.gateway.FakeCoordinator.Answer;
import dev.mapreduce.gateway.FakeCoordinator.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The public job API against a fake coordinator: what is checked, what is forwarded, what is relayed. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "mapreduce.coordinator.read-timeout=1s")
@AutoConfigureRestTestClient
class JobApiIT {

    static final String SEED_BODY =
            """
            {"jobName":"word-count-analysis","inputTopic":"application-logs","numMappers":4,"numReducers":2,\
            "mapFunction":"WORD_COUNT","reduceFunction":"SUM"}""";
    static final String JOB_ID = "0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b";
    static final String SUBMITTED =
            """
            {"jobId":"%s","status":"RUNNING","message":"Job submitted successfully"}"""
                    .formatted(JOB_ID);
    static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final FakeCoordinator coordinator = FakeCoordinator.start();

    @DynamicPropertySource
    static void coordinatorUrl(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.coordinator.url", coordinator::url);
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.close();
    }

    @Autowired
    RestTestClient client;

    @BeforeEach
    void resetCoordinator() {
        coordinator.reset();
    }

    // --- submitting ---

    @Test
    void seedBodyIsForwardedAsReadAndTheCoordinatorsAnswerComesBackCreated() {
        coordinator.answer(201, "application/json", SUBMITTED);

        submit(SEED_BODY)
                .expectStatus()
                .isCreated()
                .expectHeader()
                .location("/api/jobs/" + JOB_ID)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .json(SUBMITTED);

        Request forwarded = onlyRequest();
        assertThat(forwarded.method()).isEqualTo("POST");
        assertThat(forwarded.path()).isEqualTo("/internal/jobs");
        assertThat(MediaType.parseMediaType(forwarded.contentType())).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(json(forwarded.body())).isEqualTo(json(SEED_BODY));
    }

    /** The defaults are the coordinator's to fill in (it validates the job once, after them): none is added here. */
    @Test
    void aJobNameAloneIsForwardedAloneWithoutDefaults() {
        coordinator.answer(201, "application/json", SUBMITTED);

        submit("{\"jobName\":\"  just a name  \",\"numMappers\":null}")
                .expectStatus()
                .isCreated();

        assertThat(json(onlyRequest().body())).isEqualTo(json("{\"jobName\":\"  just a name  \"}"));
    }

    @Test
    void parametersCombinerAndFunctionNamesAreForwardedAsGiven() {
        coordinator.answer(201, "application/json", SUBMITTED);
        String job =
                """
                {"jobName":"errors","inputTopic":"app-logs.2","numMappers":1,"numReducers":1,
                 "mapFunction":"error_pattern","reduceFunction":"count",
                 "parameters":{"pattern.DEADLOCK":"(?i)deadlock detected"},"combiner":false}""";

        submit(job).expectStatus().isCreated();

        assertThat(json(onlyRequest().body())).isEqualTo(json(job));
    }

    @Test
    void aFileInputIsForwardedWithoutATopic() {
        coordinator.answer(201, "application/json", SUBMITTED);
        String job = "{\"jobName\":\"files\",\"inputPath\":\"logs/2026-11-20\",\"numMappers\":8}";

        submit(job).expectStatus().isCreated();

        assertThat(json(onlyRequest().body())).isEqualTo(json(job));
    }

    @Test
    void aTimeRangeIsForwardedAsUtcInstants() {
        coordinator.answer(201, "application/json", SUBMITTED);

        submit(
                        """
                        {"jobName":"ranged","from":"2026-11-20T01:00:00+01:00","to":"2026-11-21T00:00:00Z"}""")
                .expectStatus()
                .isCreated();

        assertThat(json(onlyRequest().body()))
                .isEqualTo(
                        json(
                                """
                        {"jobName":"ranged","from":"2026-11-20T00:00:00Z","to":"2026-11-21T00:00:00Z"}"""));
    }

    @Test
    void aQueryIsForwardedWithoutFunctions() {
        coordinator.answer(201, "application/json", SUBMITTED);

        submit(
                        """
                        {"jobName":"q","inputPath":"logs","format":"json",
                         "query":"SELECT service, count(*) AS n FROM logs GROUP BY service"}""")
                .expectStatus()
                .isCreated();

        JsonNode forwarded = json(onlyRequest().body());
        assertThat(forwarded.get("query").stringValue())
                .isEqualTo("SELECT service, count(*) AS n FROM logs GROUP BY service");
        assertThat(forwarded.has("mapFunction")).isFalse();
        assertThat(forwarded.has("reduceFunction")).isFalse();
        assertThat(forwarded.has("parameters")).isFalse();
    }

    /**
     * The coordinator checks the query (InvalidSubmitIT runs the engine's whole corpus of bad queries against it):
     * its 400 problem, with the query's line and column, comes back unchanged but for the instance.
     */
    @Test
    void aQueryTheCoordinatorCannotRunIsItsProblemRelayedUnchangedWithLineAndColumn() {
        coordinator.answer(
                400,
                PROBLEM_JSON,
                """
                {"type":"about:blank","title":"Invalid job","status":400,"instance":"/internal/jobs",
                 "detail":"query syntax error: expected ')' (line 2, column 10)",
                 "errors":[{"field":"query","message":"syntax error: expected ')'","line":2,"column":10}]}""");

        submit("{\"jobName\":\"q\",\"query\":\"SELECT service,\\n count(* FROM logs\"}")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .json(
                        """
                        {"type":"about:blank","title":"Invalid job","status":400,"instance":"/api/jobs",
                         "detail":"query syntax error: expected ')' (line 2, column 10)",
                         "errors":[{"field":"query","message":"syntax error: expected ')'","line":2,"column":10}]}""",
                        JsonCompareMode.STRICT);
        assertThat(json(onlyRequest().body()).get("query").stringValue())
                .isEqualTo("SELECT service,\n count(* FROM logs");
    }

    /** Fields the gateway cannot read: of the wrong type, out of int range, not instants, unknown. */
    static Stream<Arguments> wrongFields() {
        return Stream.of(
                Arguments.of("{\"jobName\":123}", "jobName"),
                Arguments.of("{\"jobName\":[\"a\"]}", "jobName"),
                Arguments.of("{\"jobName\":\"a\",\"numMappers\":\"four\"}", "numMappers"),
                Arguments.of("{\"jobName\":\"a\",\"numMappers\":\"4\"}", "numMappers"),
                Arguments.of("{\"jobName\":\"a\",\"numMappers\":1.5}", "numMappers"),
                Arguments.of("{\"jobName\":\"a\",\"numMappers\":4.0}", "numMappers"),
                Arguments.of("{\"jobName\":\"a\",\"numMappers\":2147483648}", "numMappers"),
                Arguments.of("{\"jobName\":\"a\",\"numMappers\":99999999999999999999999}", "numMappers"),
                Arguments.of("{\"jobName\":\"a\",\"numReducers\":true}", "numReducers"),
                Arguments.of("{\"jobName\":\"a\",\"numMapper\":4}", "numMapper"),
                Arguments.of("{\"jobName\":\"a\",\"inputPath\":[\"logs\"]}", "inputPath"),
                Arguments.of("{\"jobName\":\"a\",\"from\":\"yesterday\"}", "from"),
                Arguments.of("{\"jobName\":\"a\",\"from\":1763596800000}", "from"),
                Arguments.of("{\"jobName\":\"a\",\"to\":\"2026-11-21T00:00:00\"}", "to"),
                Arguments.of("{\"jobName\":\"a\",\"combiner\":\"yes\"}", "combiner"),
                Arguments.of("{\"jobName\":\"a\",\"parameters\":\"pattern.X=y\"}", "parameters"),
                Arguments.of("{\"jobName\":\"a\",\"parameters\":{\"pattern.X\":1}}", "parameters.pattern.X"),
                Arguments.of("{\"jobName\":\"a\",\"maxMalformedRatio\":\"half\"}", "maxMalformedRatio"),
                Arguments.of("{\"jobName\":\"f\",\"format\":42}", "format"),
                Arguments.of("{\"jobName\":\"f\",\"format\":{\"type\":\"json\",\"colour\":1}}", "format.colour"));
    }

    @ParameterizedTest
    @MethodSource("wrongFields")
    void aWrongFieldIsA400ProblemNamingTheFieldAndNothingReachesTheCoordinator(String body, String field) {
        submit(body)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.title")
                .isEqualTo("Invalid job")
                .jsonPath("$.detail")
                .value(String.class, detail -> assertThat(detail).contains(field))
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of(field))
                .jsonPath("$.errors[0].message")
                .isNotEmpty();
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void everyFieldTheGatewayCannotReadIsNamedInOneAnswer() {
        submit("""
                        {"numMappers":"four","combiner":"yes","mapFunction":7,"numMapper":4}""")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of("numMappers", "mapFunction", "combiner", "numMapper"))
                .jsonPath("$.errors[3].message")
                .isEqualTo("is not a job field; did you mean numMappers?");
        assertThat(coordinator.requests()).isEmpty();
    }

    // --- formats ---

    @Test
    void aPresetWithItsFieldMapAndItsLimitIsForwardedForTheCoordinatorToMerge() {
        coordinator.answer(201, "application/json", SUBMITTED);

        submit(
                        """
                        {"jobName":"requests","inputPath":"web","mapFunction":"WORD_COUNT",
                         "format":"apache_combined","fieldMap":{"message":"request"},"maxMalformedRatio":0.01}""")
                .expectStatus()
                .isCreated();

        assertThat(json(onlyRequest().body()))
                .isEqualTo(
                        json(
                                """
                        {"jobName":"requests","inputPath":"web","mapFunction":"WORD_COUNT",
                         "format":{"type":"apache_combined"},"fieldMap":{"message":"request"},
                         "maxMalformedRatio":0.01}"""));
    }

    @Test
    void aFormatDescriptionIsForwardedAsGiven() {
        coordinator.answer(201, "application/json", SUBMITTED);
        String format =
                """
                {"type":"regex","pattern":"^(?P<ip>\\\\S+) (?P<status>\\\\d+)$","types":{"status":"LONG"}}""";

        submit("{\"jobName\":\"r\",\"mapFunction\":\"COUNT_BY\",\"parameters\":{\"field\":\"status\"},\"format\":"
                        + format + "}")
                .expectStatus()
                .isCreated();

        assertThat(json(onlyRequest().body()).get("format")).isEqualTo(json(format));
    }

    static Stream<Arguments> bodiesThatAreNotAJob() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("  \n ", "empty"),
                Arguments.of("{\"jobName\":", "not valid JSON"),
                Arguments.of("{jobName:'a'}", "not valid JSON"),
                Arguments.of("{\"jobName\":\"a\"} {}", "more after its JSON object"),
                Arguments.of("{\"jobName\":\"a\"} x", "not valid JSON"),
                Arguments.of("{\"jobName\":\"a\",\"jobName\":\"b\"}", "jobName"),
                Arguments.of("[]", "must be a JSON object, not an array"),
                Arguments.of("\"word-count\"", "must be a JSON object, not a string"),
                Arguments.of("42", "must be a JSON object, not a number"),
                Arguments.of("null", "must be a JSON object, not null"));
    }

    @ParameterizedTest
    @MethodSource("bodiesThatAreNotAJob")
    void aBodyThatIsNotAJobObjectIsA400Problem(String body, String detail) {
        submit(body)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).contains(detail))
                .jsonPath("$.trace")
                .doesNotExist();
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void invalidUtf8IsA400Problem() {
        byte[] body = "{\"jobName\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        client.post()
                .uri("/api/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).contains("not valid JSON"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml"})
    void aBodyThatIsNotDeclaredJsonIsA415Problem(String contentType) {
        client.post()
                .uri("/api/jobs")
                .contentType(MediaType.parseMediaType(contentType))
                .body(SEED_BODY.getBytes(StandardCharsets.UTF_8))
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(415);
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void aBodyOverOneMebibyteIsA413Problem() {
        String padding = "x".repeat(JobController.MAX_BODY_BYTES);
        submit("{\"jobName\":\"" + padding + "\"}")
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(coordinator.requests()).isEmpty();
    }

    // --- what the coordinator answers to a submission ---

    @Test
    void theCoordinatorsUnknownTopicProblemIsRelayedWithItsStatusAndFields() {
        coordinator.answer(
                422,
                PROBLEM_JSON,
                """
                {"type":"about:blank","title":"Unknown input topic","status":422,
                 "detail":"topic 'nope' does not exist","instance":"/internal/jobs",
                 "errors":[{"field":"inputTopic","message":"topic 'nope' does not exist"}]}""");

        submit("{\"jobName\":\"a\",\"inputTopic\":\"nope\"}")
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .json(
                        """
                        {"type":"about:blank","title":"Unknown input topic","status":422,
                         "detail":"topic 'nope' does not exist","instance":"/api/jobs",
                         "errors":[{"field":"inputTopic","message":"topic 'nope' does not exist"}]}""");
    }

    @Test
    void theCoordinatorsValidationProblemIsRelayed() {
        coordinator.answer(
                400,
                PROBLEM_JSON,
                """
                {"title":"Invalid job","status":400,"detail":"numMappers must be between 1 and 1024",
                 "errors":[{"field":"numMappers","message":"must be between 1 and 1024"}]}""");

        submit(SEED_BODY)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("numMappers");
    }

    @Test
    void theCoordinatorsServiceUnavailableProblemIsRelayedWithRetryAfter() {
        coordinator.answer(new Answer(
                503,
                PROBLEM_JSON,
                "{\"title\":\"Service unavailable\",\"status\":503,\"detail\":\"Kafka is unreachable\"}",
                Map.of("Retry-After", "5")));

        submit(SEED_BODY)
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "5")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("Kafka is unreachable");
    }

    @Test
    void theCoordinatorsTooManyJobsProblemIsRelayedAsA429WithRetryAfter() {
        coordinator.answer(new Answer(
                429,
                PROBLEM_JSON,
                "{\"title\":\"Too many jobs\",\"status\":429,\"detail\":\"tenant acme already has 2 jobs queued or"
                        + " running\",\"activeJobs\":2,\"maxActiveJobs\":2}",
                Map.of("Retry-After", "30")));

        submit(SEED_BODY)
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .valueEquals("Retry-After", "30")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Too many jobs")
                .jsonPath("$.maxActiveJobs")
                .isEqualTo(2);
    }

    @Test
    void aCoordinatorServerErrorIsA502ThatDoesNotShowItsInternals() {
        coordinator.answer(
                500,
                PROBLEM_JSON,
                "{\"title\":\"Internal Server Error\",\"status\":500,\"detail\":\"NullPointerException at JobService:42\"}");

        submit(SEED_BODY)
                .expectStatus()
                .isEqualTo(502)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Coordinator error")
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).doesNotContain("NullPointerException"));
    }

    @Test
    void aCoordinatorClientErrorThatIsNotAProblemIsA502() {
        coordinator.answer(404, "text/html", "<html>Whitelabel Error Page</html>");

        submit(SEED_BODY).expectStatus().isEqualTo(502);
    }

    @Test
    void aCoordinatorAnswerWithoutAJobIdIsA502() {
        coordinator.answer(201, "application/json", "{\"status\":\"RUNNING\"}");

        submit(SEED_BODY).expectStatus().isEqualTo(502);
    }

    @Test
    void aCoordinatorThatDoesNotAnswerInTimeIsA503Problem() {
        coordinator.hang();

        submit(SEED_BODY)
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Coordinator unavailable")
                .jsonPath("$.detail")
                .isEqualTo("the coordinator did not answer within 1s");
    }

    // --- reading a job ---

    @Test
    void aJobIsPassedThroughUnchanged() {
        String job =
                """
                {"jobId":"%s","jobName":"word-count-analysis","status":"REDUCE_RUNNING",
                 "inputTopic":"application-logs","numMappers":4,"numReducers":2,"mapFunction":"WORD_COUNT",
                 "reduceFunction":"SUM","createdAt":"2026-11-21T00:00:00Z","completedAt":null,
                 "totalMapTasks":4,"completedMapTasks":4,"totalReduceTasks":2,"completedReduceTasks":1,
                 "mapProgress":100.0,"reduceProgress":50.0,"progress":75.0,
                 "counters":{"recordsRead":1000,"malformedRecords":10}}"""
                        .formatted(JOB_ID);
        coordinator.answer(200, "application/json", job);

        byte[] answer = client.get()
                .uri("/api/jobs/" + JOB_ID)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .returnResult()
                .getResponseBodyContent();

        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo(job);
        assertThat(onlyRequest().method()).isEqualTo("GET");
        assertThat(onlyRequest().path()).isEqualTo("/internal/jobs/" + JOB_ID);
    }

    @Test
    void anUppercaseJobIdIsAskedForInCanonicalForm() {
        coordinator.answer(200, "application/json", "{\"jobId\":\"" + JOB_ID + "\"}");

        client.get()
                .uri("/api/jobs/" + JOB_ID.toUpperCase())
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(onlyRequest().path()).isEqualTo("/internal/jobs/" + JOB_ID);
    }

    @Test
    void anUnknownJobIsTheCoordinators404Problem() {
        coordinator.answer(
                404, PROBLEM_JSON, "{\"title\":\"Job not found\",\"status\":404,\"detail\":\"no job " + JOB_ID + "\"}");

        client.get()
                .uri("/api/jobs/" + JOB_ID)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Job not found")
                .jsonPath("$.instance")
                .isEqualTo("/api/jobs/" + JOB_ID);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "42",
                "not-a-uuid",
                "1-1-1-1-1",
                "0b7e6a3c2f1d4c5e9a8b1c2d3e4f5a6b",
                "0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6bX"
            })
    void aJobIdThatIsNotAUuidIsA404ProblemWithoutAskingTheCoordinator(String jobId) {
        client.get()
                .uri("/api/jobs/{jobId}", jobId)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).contains(jobId));
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void aCoordinatorServerErrorWhileReadingAJobIsA502() {
        coordinator.answer(500, "text/plain", "boom");

        client.get().uri("/api/jobs/" + JOB_ID).exchange().expectStatus().isEqualTo(502);
    }

    // --- cancelling ---

    @Test
    void aCancellationIsForwardedWithoutABodyAndTheCancelledJobPassedThroughUnchanged() {
        String job =
                """
                {"jobId":"%s","jobName":"word-count-analysis","status":"CANCELLED",
                 "createdAt":"2026-11-21T00:00:00Z","completedAt":"2026-11-21T00:00:05Z",
                 "error":"cancelled by request","progress":40.0}"""
                        .formatted(JOB_ID);
        coordinator.answer(200, "application/json", job);

        byte[] answer = cancel(JOB_ID)
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .returnResult()
                .getResponseBodyContent();

        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo(job);
        Request forwarded = onlyRequest();
        assertThat(forwarded.method()).isEqualTo("POST");
        assertThat(forwarded.path()).isEqualTo("/internal/jobs/" + JOB_ID + "/cancel");
        assertThat(forwarded.contentType()).isNull();
        assertThat(forwarded.body()).isEmpty();
    }

    @Test
    void aCancellationWithABodyForwardsNoBody() {
        coordinator.answer(200, "application/json", "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"CANCELLED\"}");

        client.post()
                .uri("/api/jobs/{jobId}/cancel", JOB_ID)
                .contentType(MediaType.TEXT_PLAIN)
                .body("please")
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(onlyRequest().body()).isEmpty();
    }

    @Test
    void anUppercaseJobIdIsCancelledInCanonicalForm() {
        coordinator.answer(200, "application/json", "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"CANCELLED\"}");

        cancel(JOB_ID.toUpperCase()).expectStatus().isOk();

        assertThat(onlyRequest().path()).isEqualTo("/internal/jobs/" + JOB_ID + "/cancel");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"42", "not-a-uuid", "0b7e6a3c2f1d4c5e9a8b1c2d3e4f5a6b", "0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6bX"})
    void cancellingAJobIdThatIsNotAUuidIsA404ProblemWithoutAskingTheCoordinator(String jobId) {
        cancel(jobId)
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Job not found")
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).contains(jobId));
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void cancellingAnUnknownJobIsTheCoordinators404Problem() {
        coordinator.answer(
                404,
                PROBLEM_JSON,
                "{\"title\":\"Job not found\",\"status\":404,\"detail\":\"no job " + JOB_ID + "\","
                        + "\"instance\":\"/internal/jobs/" + JOB_ID + "/cancel\"}");

        cancel(JOB_ID)
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .json(
                        """
                        {"title":"Job not found","status":404,"detail":"no job %s",
                         "instance":"/api/jobs/%s/cancel"}"""
                                .formatted(JOB_ID, JOB_ID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETED", "FAILED", "CANCELLED"})
    void cancellingAFinishedJobIsTheCoordinators409ProblemWithItsFields(String status) {
        coordinator.answer(
                409,
                PROBLEM_JSON,
                """
                {"type":"about:blank","title":"Job already ended","status":409,
                 "detail":"job %s has already ended: %s","instance":"/internal/jobs/%s/cancel","jobStatus":"%s"}"""
                        .formatted(JOB_ID, status, JOB_ID, status));

        cancel(JOB_ID)
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .json(
                        """
                        {"type":"about:blank","title":"Job already ended","status":409,
                         "detail":"job %s has already ended: %s","instance":"/api/jobs/%s/cancel","jobStatus":"%s"}"""
                                .formatted(JOB_ID, status, JOB_ID, status));
    }

    @Test
    void aConflictProblemWhoseExtensionRepeatsTheStatusMemberIsStillRelayedAs409() {
        // what the coordinator's cancel answers at the time of writing: a "status" extension holding the job's status
        coordinator.answer(
                409,
                PROBLEM_JSON,
                """
                {"type":"about:blank","title":"Job already ended","status":409,
                 "detail":"job %s has already ended: COMPLETED","instance":"/internal/jobs/%s/cancel",
                 "status":"COMPLETED"}"""
                        .formatted(JOB_ID, JOB_ID));

        cancel(JOB_ID)
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .json(
                        """
                        {"title":"Job already ended","status":409,"detail":"job %s has already ended: COMPLETED",
                         "instance":"/api/jobs/%s/cancel"}"""
                                .formatted(JOB_ID, JOB_ID));
    }

    @Test
    void aConflictThatIsNotAProblemIsA502() {
        coordinator.answer(409, "text/plain", "already done");

        cancel(JOB_ID).expectStatus().isEqualTo(502);
    }

    @Test
    void aCancellationAnsweredWithoutTheJobIsA502() {
        coordinator.answer(200, "text/plain", "");

        cancel(JOB_ID)
                .expectStatus()
                .isEqualTo(502)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Coordinator error");
    }

    @Test
    void aCoordinatorServerErrorWhileCancellingIsA502ThatDoesNotShowItsInternals() {
        coordinator.answer(
                500,
                PROBLEM_JSON,
                "{\"title\":\"Internal Server Error\",\"status\":500,\"detail\":\"PSQLException: deadlock\"}");

        cancel(JOB_ID)
                .expectStatus()
                .isEqualTo(502)
                .expectBody()
                .jsonPath("$.detail")
                .value(String.class, d -> assertThat(d).doesNotContain("PSQLException"));
    }

    @Test
    void theCoordinatorsServiceUnavailableProblemWhileCancellingIsRelayed() {
        coordinator.answer(new Answer(
                503,
                PROBLEM_JSON,
                "{\"title\":\"Service unavailable\",\"status\":503,\"detail\":\"not the leader yet\"}",
                Map.of("Retry-After", "2")));

        cancel(JOB_ID)
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "2")
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("not the leader yet");
    }

    @Test
    void aCoordinatorThatDoesNotAnswerACancellationInTimeIsA503Problem() {
        coordinator.hang();

        cancel(JOB_ID)
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Coordinator unavailable")
                .jsonPath("$.detail")
                .isEqualTo("the coordinator did not answer within 1s");
    }

    @Test
    void readingTheCancelPathIsA405Problem() {
        client.get()
                .uri("/api/jobs/{jobId}/cancel", JOB_ID)
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(coordinator.requests()).isEmpty();
    }

    // --- around the API ---

    @Test
    void anUnknownPathIsA404Problem() {
        client.get()
                .uri("/api/nothing-here")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aWrongMethodIsA405Problem() {
        client.delete()
                .uri("/api/jobs")
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private ResponseSpec submit(String body) {
        return client.post()
                .uri("/api/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .exchange();
    }

    private ResponseSpec cancel(String jobId) {
        return client.post().uri("/api/jobs/{jobId}/cancel", jobId).exchange();
    }

    private static Request onlyRequest() {
        assertThat(coordinator.requests()).hasSize(1);
        return coordinator.requests().get(0);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
