package dev.mapreduce.cli;

import static dev.mapreduce.cli.ApiExamples.JOB_ID;
import static dev.mapreduce.cli.ApiExamples.job;
import static dev.mapreduce.cli.FakeGateway.Answer.json;
import static dev.mapreduce.cli.FakeGateway.Answer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How refusals, problem details and missing gateways reach the user, and how the API key travels. */
class GatewayErrorsTest {

    private static final String JOB = "/api/jobs/" + JOB_ID;
    private static final String SECRET = "k3y-that-must-not-leak";

    private final FakeGateway gateway = new FakeGateway();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private int mr(String... args) {
        return mrWithEnvironment(Map.of("MR_GATEWAY", gateway.url()), args);
    }

    private int mrWithEnvironment(Map<String, String> environment, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Mr.execute(new PrintWriter(out, true), new PrintWriter(err, true), environment, args);
    }

    @Test
    void aValidationProblemPrintsItsTitleDetailAndOneLinePerFieldWithStatus2() {
        gateway.on(
                "POST",
                "/api/jobs",
                json(
                                400,
                                """
                        {"type":"about:blank","title":"Bad Request","status":400,
                         "detail":"the job request has 2 invalid fields",
                         "errors":[{"field":"numMappers","message":"must be between 1 and 1024"},
                                   {"field":"mapFunction","message":"unknown map function 'WORDS'"}]}
                        """)
                        .withHeader("Content-Type", "application/problem+json"));

        int code = mr("submit", "--name", "x", "--mappers", "5000", "--map", "WORDS");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines())
                .containsExactly(
                        "mr: Bad Request: the job request has 2 invalid fields",
                        "  numMappers: must be between 1 and 1024",
                        "  mapFunction: unknown map function 'WORDS'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void whatTheCallerGotWrongExits2() {
        assertProblem(404, "Not Found", "no job " + JOB_ID, 2, "status", JOB_ID);
        assertProblem(409, "Conflict", "job " + JOB_ID + " already ended: COMPLETED", 2, "cancel", JOB_ID);
        assertProblem(
                409, "Conflict", "results exist only once the job COMPLETED; it is RUNNING", 2, "results", JOB_ID);
        assertProblem(413, "Content Too Large", "the request body is over 1 MiB", 2, "submit", "--name", "x");
        assertProblem(422, "Unprocessable Content", "topic 'nope' does not exist", 2, "submit", "--name", "x");
    }

    @Test
    void whatWentWrongElsewhereExits1() {
        assertProblem(401, "Unauthorized", "an X-API-Key header naming a valid key is required", 1, "list");
        assertProblem(403, "Forbidden", "admin key required", 1, "workers");
        assertProblem(429, "Too Many Requests", "rate limit exceeded", 1, "functions");
        assertProblem(500, "Internal Server Error", "an unexpected error occurred; it has been logged", 1, "list");
        assertProblem(503, "Service Unavailable", "the coordinator is not answering", 1, "status", JOB_ID);
    }

    @Test
    void aRefusedKeyKeepsItsProblemDetailOnAGetAndOnAPost() {
        // the gateway's 401 names its scheme; the JDK's client must neither retry nor drop the body
        FakeGateway.Answer refused =
                problem(401, "Unauthorized", "API key not recognised").withHeader("WWW-Authenticate", "ApiKey");
        gateway.on("GET", "/api/jobs", refused);
        gateway.on("POST", "/api/jobs", refused);

        assertThat(mr("list", "--api-key", SECRET)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("mr: Unauthorized: API key not recognised\n");

        assertThat(mr("submit", "--api-key", SECRET, "--name", "x", "--topic", "t"))
                .isEqualTo(1);
        assertThat(err.toString()).isEqualTo("mr: Unauthorized: API key not recognised\n");
    }

    @Test
    void anAnswerThatIsNotAProblemDetailStillGivesOneLine() {
        gateway.on(
                "GET",
                "/api/workers",
                new FakeGateway.Answer(
                        502, Map.of("Content-Type", "text/html"), "<html>upstream down</html>\n<p>nginx</p>", null));

        assertThat(mr("workers")).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("mr: Bad Gateway (HTTP 502): <html>upstream down</html>\n");
    }

    @Test
    void aGatewayThatIsNotThereIsOneLineAndStatus1() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        assertThat(mrWithEnvironment(Map.of(), "list", "--gateway", url)).isEqualTo(1);

        assertThat(err.toString().toLowerCase(java.util.Locale.ROOT))
                .startsWith("mr: cannot reach the gateway at " + url + ": ")
                .contains("connection refused");
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void aGatewayThatHangsUpBeforeAnsweringIsOneLineAndStatus1() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            Thread hangUp = new Thread(() -> {
                // every request (the JDK asks a GET once more after a hang-up) is read, then the connection closed
                while (true) {
                    try (var connection = socket.accept()) {
                        connection.getInputStream().read();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            hangUp.setDaemon(true); // ends when the socket closes
            hangUp.start();
            String url = "http://127.0.0.1:" + socket.getLocalPort();

            assertThat(mrWithEnvironment(Map.of(), "list", "--gateway", url)).isEqualTo(1);

            assertThat(err.toString()).startsWith("mr: lost the connection to the gateway at " + url + ": ");
            assertThat(err.toString().strip().lines()).hasSize(1);
        }
    }

    @Test
    void theApiKeyIsSentAsXApiKeyAndNeverPrinted() {
        gateway.on("GET", JOB, json(200, job("RUNNING", 10, 0, 1)))
                .on("GET", "/api/jobs", problem(401, "Unauthorized", "unknown API key"));

        assertThat(mr("status", "--api-key", SECRET, JOB_ID)).isZero();
        assertThat(gateway.requests("GET", JOB).get(0).header("X-API-Key")).isEqualTo(SECRET);

        assertThat(mr("list", "--api-key", SECRET)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("mr: Unauthorized: unknown API key\n");

        assertThat(mrWithEnvironment(Map.of("MR_API_KEY", SECRET), "submit", "--help"))
                .isZero();
        assertThat(out.toString()).contains("--api-key", "MR_API_KEY").doesNotContain(SECRET);
    }

    @Test
    void gatewayAndApiKeyComeFromTheEnvironmentWhenNotGiven() {
        gateway.on("GET", "/api/workers", json(200, "{\"workers\":[]}"));

        assertThat(mrWithEnvironment(Map.of("MR_GATEWAY", gateway.url(), "MR_API_KEY", SECRET), "workers"))
                .isZero();

        assertThat(gateway.requests("GET", "/api/workers").get(0).header("X-API-Key"))
                .isEqualTo(SECRET);
        assertThat(out.toString()).isEqualTo("no workers\n");
        assertThat(gateway.requests("GET", "/api/workers").get(0).header("Accept"))
                .isEqualTo("application/json");
    }

    @Test
    void noApiKeyMeansNoHeader() {
        gateway.on("GET", "/api/workers", json(200, "{\"workers\":[]}"));

        assertThat(mr("workers")).isZero();

        assertThat(gateway.requests("GET", "/api/workers").get(0).header("X-API-Key"))
                .isNull();
    }

    private void assertProblem(int status, String title, String detail, int exitCode, String... args) {
        gateway.on("GET", JOB, problem(status, title, detail))
                .on("GET", JOB + "/results", problem(status, title, detail))
                .on("POST", JOB + "/cancel", problem(status, title, detail))
                .on("POST", "/api/jobs", problem(status, title, detail))
                .on("GET", "/api/jobs", problem(status, title, detail))
                .on("GET", "/api/workers", problem(status, title, detail))
                .on("GET", "/api/functions", problem(status, title, detail));

        int code = mr(args);

        assertThat(code).as("exit status for HTTP %d", status).isEqualTo(exitCode);
        assertThat(err.toString()).isEqualTo("mr: " + title + ": " + detail + "\n");
        assertThat(out.toString()).isEmpty();
    }
}
