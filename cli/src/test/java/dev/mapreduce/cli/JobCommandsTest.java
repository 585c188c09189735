package dev.mapreduce.cli;

import static dev.mapreduce.cli.ApiExamples.JOB_ID;
import static dev.mapreduce.cli.ApiExamples.job;
import static dev.mapreduce.cli.ApiExamples.results;
import static dev.mapreduce.cli.FakeGateway.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** status, list, results, cancel, delete, workers and functions against contract-shaped answers. */
class JobCommandsTest {

    private static final String JOB = "/api/jobs/" + JOB_ID;

    private final FakeGateway gateway = new FakeGateway();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private int mr(String... args) {
        return Mr.execute(
                new PrintWriter(out, true), new PrintWriter(err, true), Map.of("MR_GATEWAY", gateway.url()), args);
    }

    @Test
    void statusShowsProgressCountersTimingsAndTheResultsQuery() {
        gateway.on("GET", JOB, json(200, job("RUNNING", 75, 0, 75_000)));

        assertThat(mr("status", JOB_ID)).as(err.toString()).isZero();

        assertThat(out.toString())
                .contains("job         " + JOB_ID + "\n")
                .contains("name        word-count-analysis\n")
                .contains("status      RUNNING\n")
                .contains("owner       team-a\n")
                .contains("input       topic application-logs, from 2026-11-20T00:00:00Z, 100,000 records\n")
                .contains("functions   map WORD_COUNT, reduce SUM, combiner on\n")
                .contains("progress    37.5% (map 3/4 tasks, 75%, reduce 0/2 tasks, 0%)\n")
                .contains("started     2026-11-20T10:00:00.200Z\n")
                .contains("results     SELECT result_key, result_value FROM results WHERE job_id = '" + JOB_ID)
                .contains("            /api/jobs/" + JOB_ID + "/results\n")
                .contains("  recordsRead            75,000\n")
                .contains("  shuffleBytes           48,213\n")
                .doesNotContain("completed ", "error ", "parameters ");
    }

    @Test
    void statusOfAFailedJobShowsItsError() {
        gateway.on("GET", JOB, json(200, job("FAILED", 25, 0, 10, "map task 2 failed: disk full")));

        assertThat(mr("status", JOB_ID)).isZero();

        assertThat(out.toString())
                .contains("error       map task 2 failed: disk full\n")
                .contains("duration    12.345 s\n");
    }

    @Test
    void statusOfAJobInAFormatShowsItAndItsFirstMalformedRecords() {
        String view = job("FAILED", 100, 0, 20, "11 of 20 records (55.0%) are not in format apache_combined")
                .replace(
                        "\"parameters\":{}",
                        """
                        "parameters":{"field":"status"},"format":{"type":"apache_combined"},"maxMalformedRatio":0.5,
                        "malformedSamples":[
                          {"where":"web/a.log at byte 0","reason":"no [time] after the user","line":"{\\"a\\":1}"},
                          {"where":"web/a.log at byte 9","reason":"empty line","line":""},
                          {"where":"web/a.log at byte 10","reason":"empty line","line":""},
                          {"where":"web/b.log at byte 0","reason":"empty line","line":""}]""");
        gateway.on("GET", JOB, json(200, view));

        assertThat(mr("status", JOB_ID)).as(err.toString()).isZero();

        assertThat(out.toString())
                .contains("format      apache_combined, max malformed ratio 0.5\n")
                .contains("  malformed: web/a.log at byte 0: no [time] after the user: \"{\\\"a\\\":1}\"\n")
                .contains("  malformed: web/a.log at byte 10: empty line: \"\"\n")
                .contains("  … 1 more in the job view (mr status --json)\n")
                .doesNotContain("web/b.log");
    }

    @Test
    void statusOfADefaultFormatJobShowsNoFormatLine() {
        gateway.on(
                "GET",
                JOB,
                json(
                        200,
                        job("RUNNING", 50, 0, 10)
                                .replace(
                                        "\"parameters\":{}",
                                        "\"parameters\":{},\"format\":{\"type\":\"default\"},\"maxMalformedRatio\":0.5")));

        assertThat(mr("status", JOB_ID)).isZero();

        assertThat(out.toString()).doesNotContain("format ", "malformed:");
    }

    @Test
    void statusJsonPrintsTheViewAsTheGatewaySentIt() {
        String view = job("RUNNING", 75, 0, 75_000);
        gateway.on("GET", JOB, json(200, view));

        assertThat(mr("status", "--json", JOB_ID)).isZero();

        assertThat(out.toString()).isEqualTo(view.strip() + "\n");
    }

    @Test
    void listAsksForTheFiltersAndPrintsATableNewestFirst() {
        gateway.on(
                "GET",
                "/api/jobs",
                json(
                        200,
                        """
                {"jobs":[
                  {"jobId":"%s","jobName":"word-count-analysis","status":"RUNNING","owner":"team-a",
                   "inputTopic":"application-logs","inputPath":null,"mapFunction":"WORD_COUNT","reduceFunction":"SUM",
                   "createdAt":"2026-11-20T10:00:00.123Z","completedAt":null,"durationMs":null,"progress":37.5},
                  {"jobId":"0b6f8f52-2c1d-4a55-8a0e-3b9d1c2e4f60","jobName":"errors","status":"FAILED","owner":"team-b",
                   "inputTopic":null,"inputPath":"logs/2026-11-20","mapFunction":"ERROR_PATTERN","reduceFunction":"COUNT",
                   "createdAt":"2026-11-19T09:00:00Z","completedAt":"2026-11-19T09:01:05Z","durationMs":65000,"progress":40}],
                 "total":42,"limit":2,"offset":4}
                """
                                .formatted(JOB_ID)));

        assertThat(mr("list", "--status", "running, failed", "--name", "word count", "--limit", "2", "--offset", "4"))
                .as(err.toString())
                .isZero();

        assertThat(gateway.requests("GET", "/api/jobs").get(0).uri())
                .isEqualTo("/api/jobs?status=RUNNING%2CFAILED&name=word%20count&limit=2&offset=4");
        assertThat(out.toString().lines())
                .containsExactly(
                        "JOB                                   NAME                 STATUS   PROGRESS  OWNER   INPUT"
                                + "                 MAP            REDUCE  CREATED               DURATION",
                        JOB_ID + "  word-count-analysis  RUNNING     37.5%  team-a  application-logs"
                                + "      WORD_COUNT     SUM     2026-11-20T10:00:00Z         -",
                        "0b6f8f52-2c1d-4a55-8a0e-3b9d1c2e4f60  errors               FAILED        40%  team-b"
                                + "  path logs/2026-11-20  ERROR_PATTERN  COUNT   2026-11-19T09:00:00Z      1:05",
                        "jobs 5-6 of 42");
    }

    @Test
    void anEmptyListSaysSo() {
        gateway.on("GET", "/api/jobs", json(200, "{\"jobs\":[],\"total\":0,\"limit\":20,\"offset\":0}"));

        assertThat(mr("list")).isZero();

        assertThat(gateway.requests("GET", "/api/jobs").get(0).uri()).isEqualTo("/api/jobs?limit=20&offset=0");
        assertThat(out.toString()).isEqualTo("no jobs\n");
    }

    @Test
    void resultsPrintsARankedTableOfTheFirstRows() {
        gateway.on("GET", JOB + "/results", json(200, results(10, "error", "1234", "warn", "99.25")));

        assertThat(mr("results", JOB_ID, "--offset", "10", "--order", "key"))
                .as(err.toString())
                .isZero();

        assertThat(gateway.requests("GET", JOB + "/results").get(0).uri())
                .isEqualTo(JOB + "/results?limit=20&offset=10&order=key");
        assertThat(out.toString())
                .isEqualTo(
                        """
                         #  KEY    VALUE
                        11  error   1234
                        12  warn   99.25
                        """);
    }

    @Test
    void resultsAsCsvAreStreamedToStdoutAsTheyArrive() throws Exception {
        CountDownLatch rest = new CountDownLatch(1);
        gateway.on("GET", JOB + "/results", FakeGateway.Answer.streamed("text/csv", body -> {
            write(body, "key,value\r\nerror,1234\r\n");
            rest.await(10, TimeUnit.SECONDS); // the rest comes only once the first rows were printed
            write(body, "\"a,b\",7\r\n");
        }));

        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> mr("results", JOB_ID, "--csv"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> code.isDone() || out.toString().endsWith("1234\r\n"));
        assertThat(code).as(err.toString()).isNotDone();
        assertThat(out.toString()).isEqualTo("key,value\r\nerror,1234\r\n");
        rest.countDown();
        assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).isEqualTo("key,value\r\nerror,1234\r\n\"a,b\",7\r\n");
        FakeGateway.Request request = gateway.requests("GET", JOB + "/results").get(0);
        assertThat(request.uri()).isEqualTo(JOB + "/results");
        assertThat(request.header("Accept")).isEqualTo("text/csv");
    }

    @Test
    void resultsOptionsAreCheckedBeforeAnyRequest() {
        assertThat(mr("results", JOB_ID, "--order", "value")).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("mr: --order must be value_desc or key, got 'value' (see 'mr results --help')\n");
        err.getBuffer().setLength(0);
        assertThat(mr("results", "1-2-3-4-5")).isEqualTo(2);
        assertThat(err.toString()).contains("'1-2-3-4-5' is not a job id (a UUID)");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void cancelPostsToTheJobAndPrintsItsNewStatus() {
        gateway.on("POST", JOB + "/cancel", json(200, job("CANCELLED", 50, 0, 10)));

        assertThat(mr("cancel", JOB_ID)).isZero();

        assertThat(gateway.requests("POST", JOB + "/cancel")).hasSize(1);
        assertThat(out.toString()).isEqualTo("job " + JOB_ID + " CANCELLED\n");
    }

    @Test
    void deleteSendsDeleteAndSaysSo() {
        gateway.on("DELETE", JOB, FakeGateway.Answer.empty(204));

        assertThat(mr("delete", JOB_ID)).isZero();

        assertThat(gateway.requests("DELETE", JOB)).hasSize(1);
        assertThat(out.toString()).isEqualTo("job " + JOB_ID + " deleted\n");
    }

    @Test
    void inputsListsTheCallersGrantsByKind() {
        gateway.on(
                "GET",
                "/api/inputs",
                json(
                        200,
                        """
                        {"tenant":"acme","all":false,"topics":["acme-*"],"paths":["acme/logs"],
                         "objects":["s3://lake/acme"]}"""));

        assertThat(mr("inputs")).as(err.toString()).isZero();

        assertThat(out.toString())
                .startsWith("tenant acme may read:\nKIND   GRANT\n")
                .contains("topic  acme-*")
                .contains("path   acme/logs")
                .contains("s3     s3://lake/acme");
    }

    @Test
    void inputsSaysWhenTheCallerReadsEverythingOrNothing() {
        gateway.on(
                "GET",
                "/api/inputs",
                json(
                        200,
                        """
                {"tenant":"anonymous","all":true,"topics":[],"paths":[],"objects":[]}"""));
        assertThat(mr("inputs")).isZero();
        assertThat(out.toString()).isEqualTo("tenant anonymous may read every input\n");

        out.getBuffer().setLength(0);
        gateway.on(
                "GET",
                "/api/inputs",
                json(200, """
                {"tenant":"globex","all":false,"topics":[],"paths":[],"objects":[]}"""));
        assertThat(mr("inputs")).isZero();
        assertThat(out.toString()).isEqualTo("tenant globex may read no input\n");
    }

    @Test
    void workersPrintsATable() {
        gateway.on(
                "GET",
                "/api/workers",
                json(
                        200,
                        """
                {"workers":[
                  {"workerId":"map-worker-1","type":"MAP","status":"ALIVE","firstSeen":"2026-11-20T09:00:00.5Z",
                   "lastHeartbeat":"2026-11-20T10:00:00Z","heartbeatAgeMs":412,"runningTasks":1},
                  {"workerId":"reduce-worker-1","type":"REDUCE","status":"DEAD","firstSeen":"2026-11-20T09:00:01Z",
                   "lastHeartbeat":"2026-11-20T09:30:00Z","heartbeatAgeMs":1800000,"runningTasks":0}]}
                """));

        assertThat(mr("workers")).isZero();

        assertThat(out.toString())
                .isEqualTo(
                        """
                WORKER           TYPE    STATUS    HEARTBEAT  RUNNING TASKS  FIRST SEEN
                map-worker-1     MAP     ALIVE   0.412 s ago              1  2026-11-20T09:00:00Z
                reduce-worker-1  REDUCE  DEAD      30:00 ago              0  2026-11-20T09:00:01Z
                """);
    }

    @Test
    void functionsListsMapAndReduceFunctionsWithParametersAndPatterns() {
        gateway.on(
                "GET",
                "/api/functions",
                json(
                        200,
                        """
                {"mapFunctions":[
                   {"name":"WORD_COUNT","description":"tokens of the message","parameters":[],"patterns":[]},
                   {"name":"ERROR_PATTERN","description":"patterns in WARN and ERROR lines",
                    "parameters":[{"name":"patterns","description":"which patterns to count","default":"all"}],
                    "patterns":[{"name":"TIMEOUT","regex":"(?i)timed? ?out","description":"timeouts"}]}],
                 "reduceFunctions":[{"name":"SUM","description":"adds the values"},
                                    {"name":"AVG","description":"the mean"}]}
                """));

        assertThat(mr("functions")).isZero();

        assertThat(out.toString())
                .isEqualTo(
                        """
                Map functions:
                  NAME           DESCRIPTION
                  WORD_COUNT     tokens of the message
                  ERROR_PATTERN  patterns in WARN and ERROR lines

                ERROR_PATTERN parameters (-p NAME=VALUE):
                  NAME      DEFAULT  DESCRIPTION
                  patterns  all      which patterns to count

                ERROR_PATTERN built-in patterns:
                  NAME     DESCRIPTION  REGEX
                  TIMEOUT  timeouts     (?i)timed? ?out

                Reduce functions:
                  NAME  DESCRIPTION
                  SUM   adds the values
                  AVG   the mean
                """);
    }

    @Test
    void listJsonPrintsThePageAsTheGatewaySentItWithTheSameQuery() {
        String page = "{\"jobs\":[{\"jobId\":\"" + JOB_ID + "\",\"status\":\"RUNNING\"}],\"total\":1}";
        gateway.on("GET", "/api/jobs", json(200, page + "\n"));

        assertThat(mr("list", "--json", "--status", "running", "--limit", "5"))
                .as(err.toString())
                .isZero();

        assertThat(gateway.requests("GET", "/api/jobs").get(0).uri())
                .isEqualTo("/api/jobs?status=RUNNING&limit=5&offset=0");
        assertThat(out.toString()).isEqualTo(page + "\n");
    }

    @Test
    void workersJsonPrintsTheAnswerAsTheGatewaySentIt() {
        String answer = "{\"workers\":[{\"workerId\":\"map-worker-1\",\"type\":\"MAP\",\"status\":\"ALIVE\"}]}";
        gateway.on("GET", "/api/workers", json(200, answer));

        assertThat(mr("workers", "--json")).as(err.toString()).isZero();

        assertThat(out.toString()).isEqualTo(answer + "\n");
    }

    @Test
    void functionsJsonPrintsTheCatalogueAsTheGatewaySentIt() {
        String catalogue = "{\"mapFunctions\":[{\"name\":\"WORD_COUNT\"}],\"reduceFunctions\":[{\"name\":\"SUM\"}]}";
        gateway.on("GET", "/api/functions", json(200, catalogue));

        assertThat(mr("functions", "--json")).as(err.toString()).isZero();

        assertThat(out.toString()).isEqualTo(catalogue + "\n");
    }

    @Test
    void statusJsonOfAnUnknownJobIsAOneLineErrorAndExitCode() {
        gateway.on("GET", JOB, FakeGateway.Answer.problem(404, "Not Found", "no job " + JOB_ID));

        assertThat(mr("status", "--json", JOB_ID)).isEqualTo(2);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("mr: Not Found: no job " + JOB_ID + "\n");
    }

    private static void write(OutputStream body, String text) throws Exception {
        body.write(text.getBytes(StandardCharsets.UTF_8));
        body.flush();
    }
}
