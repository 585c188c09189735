package dev.mapreduce.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.gateway.FakeCoordinator.Answer;
import dev.mapreduce.runtime.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tenant acme takes every event stream and result download its caps allow (and is refused one more
 * of each with 429 and {@code Retry-After}); meanwhile tenant globex submits, reads a status, follows
 * a job and downloads results as fast as it did before acme came: the caps keep acme from the
 * gateway's shared pools (here a database pool of 5, so acme's 3 downloads leave room only because
 * of its cap). A real PostgreSQL holds the jobs and results, read as the gateway's own role; a fake
 * coordinator answers the rest.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "mapreduce.gateway.api-keys=acme:" + TenantStarvationIT.ACME + ",globex:" + TenantStarvationIT.GLOBEX,
            "mapreduce.gateway.rate-limit=10000",
            "mapreduce.gateway.result-streams-per-tenant=" + TenantStarvationIT.CAP,
            "mapreduce.events.max-subscribers-per-tenant=" + TenantStarvationIT.CAP,
            "spring.datasource.hikari.maximum-pool-size=5"
        })
class TenantStarvationIT {

    static final String ACME = "acme-key-0123456789";
    static final String GLOBEX = "globex-key-0123456789";
    static final int CAP = 3;
    static final int ROUNDS = 5;
    /** Generous for a loaded 2-core machine; an operation starved of a pool would wait far longer (30 s). */
    static final Duration BOUND = Duration.ofSeconds(3);

    static final String DATABASE = TestDatabase.create("gateway_starvation");
    static final JdbcTemplate SQL =
            new JdbcTemplate(new DriverManagerDataSource(DATABASE, TestDatabase.USER, TestDatabase.PASSWORD));
    static final FakeCoordinator coordinator = FakeCoordinator.start();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static final UUID ACME_LARGE = UUID.randomUUID();
    static final UUID ACME_RUNNING = UUID.randomUUID();
    static final UUID GLOBEX_DONE = UUID.randomUUID();
    static final UUID GLOBEX_RUNNING = UUID.randomUUID();
    /** Followed by globex: an ended job's stream sends its state and ends, so each round gives its slot back. */
    static final UUID GLOBEX_ENDED = UUID.randomUUID();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.coordinator.url", coordinator::url);
        registry.add("spring.datasource.url", () -> DATABASE);
        // as the gateway's own role (V013__service_roles.sql), which only reads jobs and results; no
        // password: the local PostgreSQL trusts local connections
        registry.add("spring.datasource.username", () -> "mapreduce_gateway");
        registry.add("spring.datasource.password", () -> "");
    }

    @BeforeAll
    static void jobs() {
        insertJob(ACME_LARGE, "acme");
        insertJob(GLOBEX_DONE, "globex");
        // enough that a download not read on holds its query (and its connection) open
        SQL.update(
                "INSERT INTO results SELECT ?, 'key-' || lpad(i::text, 7, '0') || '-' || repeat('x', 40), i"
                        + " FROM generate_series(1, 200000) i",
                ACME_LARGE);
        SQL.update("INSERT INTO results SELECT ?, 'word-' || i, i FROM generate_series(1, 1000) i", GLOBEX_DONE);
        job(ACME_RUNNING, "acme", "RUNNING");
        job(GLOBEX_RUNNING, "globex", "RUNNING");
        job(GLOBEX_ENDED, "globex", "COMPLETED");
        coordinator.answer(
                "POST",
                "/internal/jobs",
                new Answer(
                        201,
                        "application/json",
                        "{\"jobId\":\"" + UUID.randomUUID()
                                + "\",\"status\":\"PENDING\",\"owner\":\"globex\",\"message\":\"Job submitted"
                                + " successfully\"}"));
    }

    static void insertJob(UUID jobId, String owner) {
        SQL.update(
                "INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers, map_function,"
                        + " reduce_function, owner, created_at) VALUES (?, 'r', 'COMPLETED', 't', 1, 1, 'WORD_COUNT',"
                        + " 'SUM', ?, ?)",
                jobId,
                owner,
                Timestamp.from(Instant.now()));
    }

    static void job(UUID jobId, String owner, String status) {
        coordinator.answer(
                "GET",
                "/internal/jobs/" + jobId,
                new Answer(
                        200,
                        "application/json",
                        """
                        {"jobId":"%s","jobName":"s","status":"%s","owner":"%s","inputTopic":"application-logs",
                         "mapFunction":"WORD_COUNT","reduceFunction":"SUM","createdAt":"2026-01-01T00:00:00Z",
                         "progress":10,"counters":{}}"""
                                .formatted(jobId, status, owner)));
        coordinator.answer(
                "GET",
                "/internal/jobs/" + jobId + "/tasks",
                new Answer(200, "application/json", "{\"jobId\":\"" + jobId + "\",\"tasks\":[]}"));
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.close();
    }

    @LocalServerPort
    int port;

    final List<HttpResponse<InputStream>> held = new ArrayList<>();

    @AfterEach
    void letAcmeGo() throws IOException {
        for (HttpResponse<InputStream> response : held) {
            response.body().close();
        }
    }

    @Test
    void aTenantAtItsCapsOfStreamsAndDownloadsLeavesAnotherTenantItsNormalLatency() throws Exception {
        Map<String, Callable<Void>> globex = Map.of(
                "submit", this::globexSubmits,
                "status", this::globexReadsStatus,
                "stream", this::globexFollowsAJob,
                "download", this::globexDownloads);
        List<String> operations = List.of("submit", "status", "stream", "download");
        Map<String, long[]> before = new HashMap<>();
        for (String operation : operations) {
            before.put(operation, times(globex.get(operation)));
        }

        for (int i = 0; i < CAP; i++) {
            HttpResponse<InputStream> stream = acme("/api/jobs/" + ACME_RUNNING + "/events", "text/event-stream");
            assertThat(stream.statusCode()).isEqualTo(200);
            HttpResponse<InputStream> download = acme("/api/jobs/" + ACME_LARGE + "/results?order=key", "text/csv");
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body().read()).isEqualTo('k'); // streaming, and held open by not reading on
        }
        assertRefused(acme("/api/jobs/" + ACME_RUNNING + "/events", "text/event-stream"), "Too many event streams");
        assertRefused(acme("/api/jobs/events", "text/event-stream"), "Too many event streams");
        assertRefused(acme("/api/jobs/" + ACME_LARGE + "/results", "text/csv"), "Too many result streams");
        assertThat(SQL.queryForObject(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                + " AND query LIKE 'SELECT result_key, result_value FROM results%'"
                                + " AND state IN ('active', 'idle in transaction')",
                        Integer.class))
                .as("acme's downloads hold their queries open")
                .isEqualTo(CAP);

        Map<String, long[]> during = new HashMap<>();
        for (String operation : operations) {
            during.put(operation, times(globex.get(operation)));
        }

        for (String operation : operations) {
            System.out.printf(
                    "starvation: globex %-8s before acme: median %4d ms, max %4d ms;"
                            + " with acme at its caps: median %4d ms, max %4d ms%n",
                    operation,
                    median(before.get(operation)),
                    max(before.get(operation)),
                    median(during.get(operation)),
                    max(during.get(operation)));
            assertThat(max(during.get(operation)))
                    .as("globex's %s with acme at its caps, in ms", operation)
                    .isLessThan(BOUND.toMillis());
        }
    }

    // --- globex's four operations, each checked for its answer ---

    Void globexSubmits() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri("/api/jobs"))
                        .header("X-API-Key", GLOBEX)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"jobName\":\"word-count-analysis\",\"inputTopic\":\"application-logs\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return null;
    }

    Void globexReadsStatus() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri("/api/jobs/" + GLOBEX_RUNNING))
                        .header("X-API-Key", GLOBEX)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"RUNNING\"");
        return null;
    }

    /** Opens a job's event stream and reads it to its end: the job's state, then the end of the stream. */
    Void globexFollowsAJob() throws Exception {
        HttpResponse<InputStream> response = HTTP.send(
                HttpRequest.newBuilder(uri("/api/jobs/" + GLOBEX_ENDED + "/events"))
                        .header("X-API-Key", GLOBEX)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(response.statusCode()).isEqualTo(200);
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.startsWith("event:job"));
            assertThat(line).as("a job event").isNotNull();
            assertThat(lines.readLine()).contains(GLOBEX_ENDED.toString()).contains("COMPLETED");
            while (lines.readLine() != null) {
                // the tasks, then the end
            }
        }
        return null;
    }

    /** Downloads all 1,000 rows of globex's job. */
    Void globexDownloads() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri("/api/jobs/" + GLOBEX_DONE + "/results?limit=1000"))
                        .header("X-API-Key", GLOBEX)
                        .header("Accept", "text/csv")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body().lines().count()).isEqualTo(1001);
        return null;
    }

    // --- helpers ---

    HttpResponse<InputStream> acme(String path, String accept) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("X-API-Key", ACME)
                        .header("Accept", accept)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        held.add(response);
        return response;
    }

    static void assertRefused(HttpResponse<InputStream> response, String title) throws IOException {
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8))
                .contains(title);
    }

    /** Milliseconds each of {@link #ROUNDS} runs of {@code operation} took. */
    static long[] times(Callable<Void> operation) {
        long[] millis = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            try {
                operation.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            millis[i] = Duration.ofNanos(System.nanoTime() - start).toMillis();
        }
        return millis;
    }

    static long median(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static long max(long[] millis) {
        return Arrays.stream(millis).max().orElseThrow();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
