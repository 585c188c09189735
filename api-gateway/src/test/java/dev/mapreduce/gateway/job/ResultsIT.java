package dev.mapreduce.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.gateway.TestCallers;
import dev.mapreduce.runtime.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;

/** {@code GET /api/jobs/{id}/results} against a real PostgreSQL with the coordinator's schema. */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mapreduce.gateway.result-streams-per-tenant=" + ResultsIT.STREAMS_PER_TENANT)
@AutoConfigureRestTestClient
@Import(TestCallers.class)
class ResultsIT {

    static final int STREAMS_PER_TENANT = 2;

    static final String DATABASE = TestDatabase.create("gateway_results");
    static final JdbcTemplate SQL =
            new JdbcTemplate(new DriverManagerDataSource(DATABASE, TestDatabase.USER, TestDatabase.PASSWORD));

    static final UUID COMPLETED = UUID.randomUUID();
    static final UUID RUNNING = UUID.randomUUID();
    static final UUID LARGE = UUID.randomUUID();
    static final UUID QUERY = UUID.randomUUID();
    static final String QUERY_SQL =
            "SELECT service, date_trunc('hour', timestamp) AS h, count(*) AS n, avg(length(message)) AS len,"
                    + " level = 'ERROR' AS e FROM logs GROUP BY 1, 2, 5 ORDER BY n DESC";
    static final int LARGE_ROWS = 300_000;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    }

    @BeforeAll
    static void jobs() {
        insertJob(COMPLETED, "COMPLETED", "acme");
        insertJob(RUNNING, "RUNNING", "acme");
        insertJob(LARGE, "COMPLETED", null);
        SQL.update(
                "INSERT INTO results VALUES (?, 'error', 12), (?, 'Warn', 12), (?, 'with,comma', 7),"
                        + " (?, 'with \"quotes\"', 5), (?, 'two\nlines', 3), (?, 'cr\r\nlf', 3), (?, 'café', 2.500000),"
                        + " (?, 'huge', 123456789012345678901234567890), (?, 'negative', -4)",
                COMPLETED,
                COMPLETED,
                COMPLETED,
                COMPLETED,
                COMPLETED,
                COMPLETED,
                COMPLETED,
                COMPLETED,
                COMPLETED);
        SQL.update(
                "INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers, query, created_at)"
                        + " VALUES (?, 'q', 'COMPLETED', 't', 1, 1, ?, now())",
                QUERY,
                QUERY_SQL);
        // as reduce workers write them: result_ord orders n descending (here simply by hand)
        SQL.update(
                "INSERT INTO results (job_id, result_key, result_value, result_row, result_ord) VALUES"
                        + " (?, 'b', 7, '{\"service\":\"=b,\",\"h\":\"2026-11-20 23:00:00\",\"n\":7,\"len\":2.5,"
                        + "\"e\":true}', '\\x02'),"
                        + " (?, 'a', 9, '{\"service\":\"café\",\"h\":null,\"n\":9,\"len\":0.1,\"e\":false}',"
                        + " '\\x01')",
                QUERY,
                QUERY);
        SQL.update(
                "INSERT INTO results SELECT ?, 'key-' || lpad(i::text, 7, '0') || '-' || repeat('x', 40), i"
                        + " FROM generate_series(1, ?) i",
                LARGE,
                LARGE_ROWS);
    }

    static void insertJob(UUID jobId, String status, String owner) {
        SQL.update(
                "INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers, map_function,"
                        + " reduce_function, owner, created_at) VALUES (?, 'r', ?, 't', 1, 1, 'WORD_COUNT', 'SUM', ?, ?)",
                jobId,
                status,
                owner,
                Timestamp.from(Instant.now()));
    }

    @Autowired
    RestTestClient client;

    @LocalServerPort
    int port;

    ResponseSpec get(String uri, String accept, String caller) {
        var request = client.get().uri(uri);
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (caller != null) {
            request.header(TestCallers.HEADER, caller);
        }
        return request.exchange();
    }

    String body(ResponseSpec response) {
        return new String(response.expectBody().returnResult().getResponseBodyContent(), StandardCharsets.UTF_8);
    }

    String results(UUID jobId) {
        return "/api/jobs/" + jobId + "/results";
    }

    @Test
    void aQueryJobsRowsHaveItsNamedColumnsInItsOrderAsJsonAndCsv() {
        String json = body(get(results(QUERY), null, null).expectStatus().isOk());
        assertThat(json)
                .isEqualTo("{\"jobId\":\"" + QUERY + "\",\"columns\":[{\"name\":\"service\",\"type\":\"VARCHAR\"},"
                        + "{\"name\":\"h\",\"type\":\"TIMESTAMP\"},{\"name\":\"n\",\"type\":\"BIGINT\"},"
                        + "{\"name\":\"len\",\"type\":\"DOUBLE\"},{\"name\":\"e\",\"type\":\"BOOLEAN\"}],"
                        + "\"offset\":0,\"results\":["
                        + "{\"service\":\"café\",\"h\":null,\"n\":9,\"len\":0.1,\"e\":false},"
                        + "{\"service\":\"=b,\",\"h\":\"2026-11-20 23:00:00\",\"n\":7,\"len\":2.5,\"e\":true}]}");
        String csv = body(get(results(QUERY) + "?offset=1", "text/csv", null)
                .expectStatus()
                .isOk());
        assertThat(csv).isEqualTo("service,h,n,len,e\r\n\"'=b,\",2026-11-20 23:00:00,7,2.5,true\r\n");
        get(results(QUERY) + "?order=key", null, null)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("order");
    }

    @Test
    void jsonIsByValueDescendingThenKeyWithExactNumbers() {
        String body = body(get(results(COMPLETED), null, null)
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON));

        assertThat(body)
                .isEqualTo("{\"jobId\":\"" + COMPLETED + "\",\"order\":\"value_desc\",\"offset\":0,\"results\":["
                        + "{\"key\":\"huge\",\"value\":123456789012345678901234567890},"
                        + "{\"key\":\"Warn\",\"value\":12},{\"key\":\"error\",\"value\":12},"
                        + "{\"key\":\"with,comma\",\"value\":7},{\"key\":\"with \\\"quotes\\\"\",\"value\":5},"
                        + "{\"key\":\"cr\\r\\nlf\",\"value\":3},{\"key\":\"two\\nlines\",\"value\":3},"
                        + "{\"key\":\"café\",\"value\":2.500000},{\"key\":\"negative\",\"value\":-4}]}");
    }

    @Test
    void keyOrderIsByteOrderAndLimitAndOffsetPage() {
        get(results(COMPLETED) + "?order=key", "application/json", null)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.order")
                .isEqualTo("key")
                .jsonPath("$.results[*].key")
                .isEqualTo(List.of(
                        "Warn",
                        "café",
                        "cr\r\nlf",
                        "error",
                        "huge",
                        "negative",
                        "two\nlines",
                        "with \"quotes\"",
                        "with,comma"));
        get(results(COMPLETED) + "?limit=2&offset=1", null, null)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.offset")
                .isEqualTo(1)
                .jsonPath("$.results[*].key")
                .isEqualTo(List.of("Warn", "error"));
        get(results(COMPLETED) + "?offset=100", null, null)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.results")
                .isEmpty();
    }

    @Test
    void csvQuotesKeysAsRfc4180Says() {
        String body = body(get(results(COMPLETED) + "?order=value_desc&limit=8", "text/csv", null)
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType("text/csv;charset=UTF-8"));

        assertThat(body)
                .isEqualTo("key,value\r\n"
                        + "huge,123456789012345678901234567890\r\n"
                        + "Warn,12\r\n"
                        + "error,12\r\n"
                        + "\"with,comma\",7\r\n"
                        + "\"with \"\"quotes\"\"\",5\r\n"
                        + "\"cr\r\nlf\",3\r\n"
                        + "\"two\nlines\",3\r\n"
                        + "café,2.500000\r\n");
    }

    @Test
    void theFormatFollowsTheAcceptHeader() {
        get(results(COMPLETED), "text/csv;q=0.9, application/json", null)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        get(results(COMPLETED), "application/json;q=0.5, text/*", null)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"));
        get(results(COMPLETED), "*/*", null).expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        get(results(COMPLETED), "application/xml", null)
                .expectStatus()
                .isEqualTo(406)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aJobNotCompletedIsA409WithItsStatus() {
        get(results(RUNNING), null, null)
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.jobStatus")
                .isEqualTo("RUNNING")
                .jsonPath("$.title")
                .isEqualTo("Job not completed");
        get(results(RUNNING), "text/csv", null).expectStatus().isEqualTo(409);
    }

    @Test
    void anUnknownJobAndAnotherTenantsJobAreTheSame404() {
        UUID unknown = UUID.randomUUID();
        String notFound = body(get(results(unknown), null, "globex")
                        .expectStatus()
                        .isNotFound()
                        .expectHeader()
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .replace(unknown.toString(), "ID");
        String hidden = body(get(results(COMPLETED), null, "globex")
                        .expectStatus()
                        .isNotFound())
                .replace(COMPLETED.toString(), "ID");
        String ownerless = body(get(results(LARGE) + "?limit=1", null, "globex")
                        .expectStatus()
                        .isNotFound())
                .replace(LARGE.toString(), "ID");

        assertThat(hidden).isEqualTo(notFound).contains("no job ID");
        assertThat(ownerless).isEqualTo(notFound);
        get(results(COMPLETED), null, "acme").expectStatus().isOk();
        get(results(LARGE) + "?limit=1", null, "root:admin").expectStatus().isOk();
        get("/api/jobs/not-a-uuid/results", null, null).expectStatus().isNotFound();
        get(results(unknown), "text/csv", null).expectStatus().isNotFound();
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=-5", "limit=many", "offset=-1", "offset=x", "order=value", "order="})
    void badParametersAreA400Problem(String query) {
        if (query.equals("order=")) {
            get(results(COMPLETED) + "?" + query, null, null).expectStatus().isOk(); // blank: the default
            return;
        }
        get(results(COMPLETED) + "?" + query, null, null)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo(query.substring(0, query.indexOf('=')));
    }

    @Test
    void aLargeResultStreamsWhileTheQueryIsStillReading() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + results(LARGE) + "?order=key"))
                        .header("Accept", "text/csv")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8), 1 << 12)) {
            assertThat(lines.readLine()).isEqualTo("key,value");
            assertThat(lines.readLine()).isEqualTo("key-0000001-" + "x".repeat(40) + ",1");
            // The first rows are here, about 25 MB are not: the gateway still holds its cursor open,
            // so it has not read (let alone buffered) the whole result before sending.
            assertThat(SQL.queryForObject(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                    + " AND state IN ('active', 'idle in transaction')"
                                    + " AND query LIKE 'SELECT result_key, result_value FROM results%'",
                            Integer.class))
                    .isOne();
            long rows = 1;
            String last = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                rows++;
                last = line;
            }
            assertThat(rows).isEqualTo(LARGE_ROWS);
            assertThat(last).isEqualTo("key-0300000-" + "x".repeat(40) + ",300000");
        }
    }

    @Test
    void aTenantStreamsAtMostItsCapOfResultsAtOnceAndOthersAreNotHeldUp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<HttpResponse<InputStream>> held = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS_PER_TENANT; i++) {
                HttpResponse<InputStream> response = openLarge(http, "ops:admin");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body().read()).isEqualTo('k'); // streaming, and held open by not reading on
                held.add(response);
            }

            HttpResponse<InputStream> refused = openLarge(http, "ops:admin");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new String(refused.body().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("Too many result streams");

            // another tenant, and callers without keys, are not held up
            get(results(LARGE) + "?limit=1", "text/csv", "root:admin")
                    .expectStatus()
                    .isOk();
            get(results(COMPLETED) + "?limit=1", null, null).expectStatus().isOk();

            held.remove(0).body().close();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<InputStream> again = openLarge(http, "ops:admin");
                again.body().close();
                assertThat(again.statusCode()).isEqualTo(200);
            });
        } finally {
            for (HttpResponse<InputStream> response : held) {
                response.body().close();
            }
            // the other tests count the result queries running: these must be gone first
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SQL.queryForObject(
                                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                            + " AND state IN ('active', 'idle in transaction')"
                                            + " AND query LIKE 'SELECT result_key, result_value FROM results%'",
                                    Integer.class)
                            == 0);
        }
    }

    private HttpResponse<InputStream> openLarge(HttpClient http, String caller) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + results(LARGE) + "?order=key"))
                        .header("Accept", "text/csv")
                        .header(TestCallers.HEADER, caller)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }
}
