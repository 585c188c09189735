package dev.mapreduce.cli;

import static dev.mapreduce.cli.ApiExamples.JOB_ID;
import static dev.mapreduce.cli.ApiExamples.job;
import static dev.mapreduce.cli.ApiExamples.results;
import static dev.mapreduce.cli.FakeGateway.Answer.json;
import static dev.mapreduce.cli.FakeGateway.Answer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SubmitCommandTest {

    private static final String JOB = "/api/jobs/" + JOB_ID;

    private final FakeGateway gateway = new FakeGateway();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private int mr(String... args) {
        return Mr.execute(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), args);
    }

    private String[] submit(String... more) {
        String[] common = {"submit", "--gateway", gateway.url(), "--poll-interval", "5"};
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return all;
    }

    @Test
    void submitSendsEveryGivenFieldAndPrintsTheJobId() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)));

        int code = mr(submit(
                "--name",
                "errors by pattern",
                "--topic",
                "my-logs",
                "--from",
                "2026-11-20T00:00:00Z",
                "--to",
                "2026-11-21T00:00:00Z",
                "--mappers",
                "8",
                "--reducers",
                "3",
                "--map",
                "ERROR_PATTERN",
                "--reduce",
                "COUNT",
                "-p",
                "patterns=TIMEOUT,OOM",
                "-p",
                "pattern.SLOW=took ([0-9]+) ms",
                "--no-combiner"));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(JOB_ID + "\n");
        FakeGateway.Request request = gateway.requests("POST", "/api/jobs").get(0);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-API-Key")).isNull();
        assertThat(JsonMapper.builder().build().readTree(request.body()))
                .isEqualTo(
                        JsonMapper.builder()
                                .build()
                                .readTree(
                                        """
                        {"jobName":"errors by pattern","inputTopic":"my-logs",
                         "from":"2026-11-20T00:00:00Z","to":"2026-11-21T00:00:00Z",
                         "numMappers":8,"numReducers":3,"mapFunction":"ERROR_PATTERN","reduceFunction":"COUNT",
                         "parameters":{"patterns":"TIMEOUT,OOM","pattern.SLOW":"took ([0-9]+) ms"},
                         "combiner":false}
                        """));
    }

    @Test
    void fieldsNotGivenAreLeftOutSoThatTheGatewayDefaultsApply() {
        gateway.on("POST", "/api/jobs", json(201, job("PENDING", 0, 0, 0)));

        assertThat(mr(submit("--name", "wc"))).isZero();

        assertThat(gateway.requests("POST", "/api/jobs").get(0).body()).isEqualTo("{\"jobName\":\"wc\"}");
    }

    @Test
    void aPathIsSentAsInputPathAndCannotBeCombinedWithATopic() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)));

        assertThat(mr(submit("--name", "files", "--path", "logs/2026-11-20"))).isZero();
        assertThat(gateway.requests("POST", "/api/jobs").get(0).body())
                .isEqualTo("{\"jobName\":\"files\",\"inputPath\":\"logs/2026-11-20\"}");

        assertThat(mr(submit("--name", "both", "--path", "logs", "--topic", "t")))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("mr: ").contains("mutually exclusive");
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(gateway.requests("POST", "/api/jobs")).hasSize(1);
    }

    @Test
    void anS3PathIsSentAsInputPathUnchanged() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)));

        assertThat(mr(submit("--name", "objects", "--path", "s3://logs-bucket/2026/*.log.gz")))
                .isZero();
        assertThat(gateway.requests("POST", "/api/jobs").get(0).body())
                .isEqualTo("{\"jobName\":\"objects\",\"inputPath\":\"s3://logs-bucket/2026/*.log.gz\"}");
    }

    @Test
    void waitFollowsTheJobThroughRunningToCompletedThenPrintsTheTopResults() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)))
                .on(
                        "GET",
                        JOB,
                        json(200, job("RUNNING", 0, 0, 0)),
                        json(200, job("RUNNING", 50, 0, 50_000)),
                        json(200, job("RUNNING", 50, 0, 50_000)),
                        json(200, job("REDUCE_RUNNING", 100, 50, 100_000)),
                        json(200, job("COMPLETED", 100, 100, 100_000)))
                .on(
                        "GET",
                        JOB + "/results",
                        json(200, results(0, "error", "123456789012", "timeout", "7", "at", "1.5")));

        int code = mr(submit("--name", "wc", "--wait", "--progress", "lines", "--top", "3"));

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString().lines())
                .containsExactly(
                        "map [..........]   0%  reduce [..........]   0%  0 records  0:00  RUNNING",
                        "map [#####.....]  50%  reduce [..........]   0%  50,000 records  0:00  RUNNING",
                        "map [##########] 100%  reduce [#####.....]  50%  100,000 records  0:00  REDUCE_RUNNING",
                        "map [##########] 100%  reduce [##########] 100%  100,000 records  0:12  COMPLETED",
                        "COMPLETED in 12.345 s: 100,000 records read, 7 malformed, 431 results");
        assertThat(gateway.requests("GET", JOB + "/results").get(0).uri()).isEqualTo(JOB + "/results?limit=3");
        assertThat(out.toString())
                .isEqualTo(
                        JOB_ID + "\n"
                                + """
                        #  KEY             VALUE
                        1  error    123456789012
                        2  timeout             7
                        3  at                1.5
                        """);
    }

    @Test
    void onATerminalTheProgressIsOneLineRedrawnInPlace() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)))
                .on(
                        "GET",
                        JOB,
                        json(200, job("REDUCE_RUNNING", 100, 50, 100_000)),
                        json(200, job("COMPLETED", 100, 100, 100_000)))
                .on("GET", JOB + "/results", json(200, results(0)));

        assertThat(mr(submit("--name", "wc", "--wait", "--progress", "bar"))).isZero();

        assertThat(err.toString().split("\n")[0])
                .isEqualTo("\rmap [##########] 100%  reduce [#####.....]  50%  100,000 records  0:00  REDUCE_RUNNING"
                        + "\rmap [##########] 100%  reduce [##########] 100%  100,000 records  0:12  COMPLETED"
                        + " ".repeat("REDUCE_RUNNING".length() - "COMPLETED".length()));
        assertThat(out.toString()).isEqualTo(JOB_ID + "\n(no rows)\n");
    }

    @Test
    void aFailedJobEndsTheWaitWithItsErrorAndExitStatus1() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)))
                .on(
                        "GET",
                        JOB,
                        json(200, job("RUNNING", 25, 0, 10)),
                        json(200, job("FAILED", 25, 0, 10, "map task 2 failed after 4 attempts: disk full")));

        int code = mr(submit("--name", "wc", "--wait", "--progress", "lines"));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString())
                .endsWith("mr: job " + JOB_ID + " FAILED: map task 2 failed after 4 attempts: disk full\n");
        assertThat(gateway.requests("GET", JOB + "/results")).isEmpty();
    }

    @Test
    void aCancelledJobEndsTheWaitWithExitStatus1() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)))
                .on("GET", JOB, json(200, job("CANCELLED", 25, 0, 10)));

        assertThat(mr(submit("--name", "wc", "--wait", "--progress", "lines"))).isEqualTo(1);
        assertThat(err.toString()).endsWith("mr: job " + JOB_ID + " CANCELLED\n");
    }

    @Test
    void whenRateLimitedWhileFollowingItWaitsAsToldAndAsksOnceMore() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)))
                .on(
                        "GET",
                        JOB,
                        problem(429, "Too Many Requests", "rate limit of 100 per 1s exceeded")
                                .withHeader("Retry-After", "1"),
                        json(200, job("COMPLETED", 100, 100, 5)))
                .on("GET", JOB + "/results", json(200, results(0, "a", "1")));
        long started = System.nanoTime();

        int code = mr(submit("--name", "wc", "--wait", "--progress", "lines"));

        assertThat(code).as(err.toString()).isZero();
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1000);
        assertThat(err.toString())
                .startsWith("mr: Too Many Requests: rate limit of 100 per 1s exceeded (retrying in 1 s)\n");
        assertThat(gateway.requests("GET", JOB)).hasSize(2);
    }

    @Test
    void aSecondRateLimitInARowEndsTheFollowWithExitStatus1() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)))
                .on("GET", JOB, problem(429, "Too Many Requests", "slow down").withHeader("Retry-After", "1"));

        int code = mr(submit("--name", "wc", "--wait", "--progress", "lines"));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines())
                .containsExactly(
                        "mr: Too Many Requests: slow down (retrying in 1 s)", "mr: Too Many Requests: slow down");
        assertThat(gateway.requests("GET", JOB)).hasSize(2);
    }

    @Test
    void badArgumentsAreOneLineAndExitStatus2WithoutAnyRequest() {
        assertOneLineError(mr(submit()), "Missing required option: '--name=NAME'");
        assertOneLineError(mr(submit("--name", "x", "--mappers", "many")), "Invalid value for option '--mappers'");
        assertOneLineError(mr(submit("--name", "x", "-p", "novalue")), "should be in KEY=VALUE format");
        assertOneLineError(mr(submit("--name", "x", "--top", "-1")), "--top must be at least 0, got -1");
        assertOneLineError(mr(submit("--name", "x", "--progress", "fancy")), "--progress must be auto, bar or lines");
        assertOneLineError(mr("submit", "--name", "x", "--gateway", "localhost:8090"), "invalid gateway URL");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void aFormatNameIsSentAsAStringWithTheFieldMapAndTheMalformedLimit() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)));

        int code = mr(submit(
                "--name",
                "words of requests",
                "--format",
                "apache_combined",
                "--field-map",
                "message=request",
                "--max-malformed-ratio",
                "0.1"));

        assertThat(code).as(err.toString()).isZero();
        assertThat(body())
                .isEqualTo(
                        tree(
                                """
                        {"jobName":"words of requests","format":"apache_combined",
                         "fieldMap":{"message":"request"},"maxMalformedRatio":0.1}
                        """));
    }

    @Test
    void aRequestIdIsSentAndARepeatedSubmitsAnswerIsTheSameJob() {
        gateway.on("POST", "/api/jobs", json(200, job("RUNNING", 0, 0, 0)));

        int code = mr(submit("--name", "nightly", "--request-id", "nightly-2026-11-20"));

        assertThat(code).as(err.toString()).isZero();
        assertThat(body())
                .isEqualTo(
                        tree(
                                """
                        {"jobName":"nightly","requestId":"nightly-2026-11-20"}
                        """));
    }

    @Test
    void aFormatDescriptionGivenOrInAFileIsSentAsItsJsonUnchecked(@TempDir Path dir) throws Exception {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)));
        String description = "{\"type\":\"json\",\"timestamp\":{\"field\":\"ts\"},\"noSuchMember\":1}";
        Path file = Files.writeString(dir.resolve("format.json"), description);

        assertThat(mr(submit("--name", "a", "--format", description)))
                .as(err.toString())
                .isZero();
        assertThat(mr(submit("--name", "b", "--format", "@" + file)))
                .as(err.toString())
                .isZero();

        for (FakeGateway.Request request : gateway.requests("POST", "/api/jobs")) {
            // the gateway, not the CLI, says what is wrong in a description: every problem at once
            assertThat(tree(request.body()).get("format")).isEqualTo(tree(description));
        }
    }

    @Test
    void aFormatThatIsNotJsonOrAMissingFileIsOneLineAndExitStatus2() {
        assertOneLineError(mr(submit("--name", "x", "--format", "{\"type\":")), "--format is not a format description");
        assertOneLineError(mr(submit("--name", "x", "--format", "@/no/such/format.json")), "/no/such/format.json");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void theGatewaysFormatErrorsAreShownEachOnItsOwn() {
        gateway.on(
                "POST",
                "/api/jobs",
                json(
                                400,
                                """
                        {"type":"about:blank","title":"Invalid job request","status":400,
                         "detail":"format: unknown format 'apache'",
                         "errors":[{"field":"format","message":"unknown format 'apache'"},
                                   {"field":"parameters","message":"COUNT_BY reads the field 'nope'"}]}
                        """)
                        .withHeader("Content-Type", "application/problem+json"));

        int code = mr(submit("--name", "x", "--format", "apache", "-m", "COUNT_BY", "-p", "field=nope"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown format 'apache'").contains("COUNT_BY reads the field 'nope'");
    }

    private tools.jackson.databind.JsonNode body() {
        return tree(gateway.requests("POST", "/api/jobs").get(0).body());
    }

    private static tools.jackson.databind.JsonNode tree(String json) {
        return JsonMapper.builder().build().readTree(json);
    }

    private void assertOneLineError(int code, String message) {
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).startsWith("mr: ").contains(message);
        assertThat(err.toString().strip().lines()).hasSize(1);
        err.getBuffer().setLength(0);
    }
}
