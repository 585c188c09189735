package dev.mapreduce.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.gateway.FakeCoordinator;
import dev.mapreduce.gateway.FakeCoordinator.Answer;
import dev.mapreduce.gateway.TestCallers;
import dev.mapreduce.runtime.testing.TestDatabase;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event streams against a fake coordinator and a real PostgreSQL: a notice on the channel
 * makes the gateway read the job again and push it; an ended job's stream ends.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "mapreduce.events.keep-alive=1s",
            "mapreduce.events.min-interval=300ms",
            "mapreduce.events.max-subscribers-per-tenant=" + JobEventsIT.STREAMS_PER_TENANT
        })
@Import(TestCallers.class)
class JobEventsIT {

    static final int STREAMS_PER_TENANT = 2;

    static final String DATABASE = TestDatabase.create("gateway-events");
    static final FakeCoordinator coordinator = FakeCoordinator.start();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.coordinator.url", coordinator::url);
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JobEvents jobEvents;

    @Autowired
    JobEventStreams streams;

    final UUID jobId = UUID.randomUUID();
    final List<EventStream> opened = new ArrayList<>();

    @BeforeEach
    void listening() {
        coordinator.reset();
        await().atMost(Duration.ofSeconds(20)).until(jobEvents::isListening);
        // streams of earlier tests are gone once a keep-alive found their clients gone
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.openStreams() == 0);
    }

    @AfterEach
    void closeStreams() {
        opened.forEach(EventStream::close);
    }

    // --- the coordinator's answers ---

    void job(String status, double progress, String owner) {
        String view =
                """
                {"jobId":"%s","jobName":"events","status":"%s","owner":%s,"inputTopic":"application-logs",
                 "mapFunction":"WORD_COUNT","reduceFunction":"SUM","createdAt":"2026-01-01T00:00:00Z",
                 "progress":%s,"counters":{"recordsRead":12}}"""
                        .formatted(jobId, status, owner == null ? "null" : "\"" + owner + "\"", progress);
        coordinator.answer("GET", "/internal/jobs/" + jobId, new Answer(200, "application/json", view));
        coordinator.answer(
                "GET",
                "/internal/jobs/" + jobId + "/tasks",
                new Answer(
                        200,
                        "application/json",
                        """
                        {"jobId":"%s","tasks":[{"type":"MAP","index":0,"status":"%s"}]}"""
                                .formatted(jobId, status.equals("COMPLETED") ? "COMPLETED" : "RUNNING")));
    }

    void job(String status, double progress) {
        job(status, progress, "anonymous");
    }

    static void notifyChanged(UUID jobId) throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE, TestDatabase.USER, TestDatabase.PASSWORD);
                PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, JobEvents.CHANNEL);
            s.setString(2, jobId.toString());
            s.execute();
        }
    }

    // --- tests ---

    @Test
    void aJobStreamSendsTheJobAndItsTasksAtOnceThenOnEachNoticeAndEndsWithTheEndedJob() throws Exception {
        job("RUNNING", 10);
        EventStream stream = open("/api/jobs/" + jobId + "/events");
        assertThat(stream.response.statusCode()).isEqualTo(200);
        assertThat(stream.response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(stream.next("job").path("progress").asDouble()).isEqualTo(10);
        assertThat(stream.next("tasks").path("tasks").get(0).path("status").asString())
                .isEqualTo("RUNNING");

        job("REDUCE_RUNNING", 60);
        notifyChanged(jobId);
        JsonNode updated = stream.next("job");
        assertThat(updated.path("status").asString()).isEqualTo("REDUCE_RUNNING");
        assertThat(updated.path("progress").asDouble()).isEqualTo(60);
        stream.next("tasks");

        job("COMPLETED", 100);
        notifyChanged(jobId);
        assertThat(stream.next("job").path("status").asString()).isEqualTo("COMPLETED");
        assertThat(stream.next("tasks").path("tasks").get(0).path("status").asString())
                .isEqualTo("COMPLETED");
        stream.awaitEnd();
    }

    @Test
    void anEndedJobsStreamSendsTheFinalStateAndEnds() throws Exception {
        job("FAILED", 40);
        EventStream stream = open("/api/jobs/" + jobId + "/events");
        assertThat(stream.next("job").path("status").asString()).isEqualTo("FAILED");
        stream.next("tasks");
        stream.awaitEnd();
    }

    @Test
    void anUnknownJobIsA404Problem() throws Exception {
        coordinator.answer(
                "GET",
                "/internal/jobs/" + jobId,
                new Answer(
                        404,
                        "application/problem+json",
                        "{\"title\":\"Job not found\",\"status\":404,\"detail\":\"no job " + jobId + "\"}"));
        for (String path : List.of("/api/jobs/" + jobId + "/events", "/api/jobs/not-a-job/events")) {
            HttpResponse<String> response = HTTP.sendAsync(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .header("Accept", "text/event-stream")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .get(20, java.util.concurrent.TimeUnit.SECONDS); // a stream opened by mistake never ends
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void anotherTenantsJobIsNotFoundAndItsChangesAreNotListed() throws Exception {
        job("RUNNING", 10, "alice");
        HttpResponse<String> response = HTTP.sendAsync(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/jobs/" + jobId + "/events"))
                                .header(TestCallers.HEADER, "bob")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .get(20, java.util.concurrent.TimeUnit.SECONDS); // a stream opened by mistake never ends
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("title").asString()).isEqualTo("Job not found");

        EventStream alice = open("/api/jobs/" + jobId + "/events", "alice");
        assertThat(alice.next("job").path("owner").asString()).isEqualTo("alice");
        EventStream bobsList = open("/api/jobs/events", "bob");
        EventStream alicesList = open("/api/jobs/events", "alice");
        EventStream adminsList = open("/api/jobs/events", "root:admin");
        notifyChanged(jobId);
        assertThat(alicesList.next("job").path("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(adminsList.next("job").path("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(bobsList.count(Duration.ofSeconds(1), "job")).isZero();
    }

    @Test
    void aBurstOfChangesIsCoalescedIntoFewUpdatesEndingWithTheLatestState() throws Exception {
        job("RUNNING", 0);
        EventStream stream = open("/api/jobs/" + jobId + "/events");
        stream.next("job");
        stream.next("tasks");
        for (int i = 1; i <= 30; i++) {
            job("RUNNING", i);
            notifyChanged(jobId);
        }
        double last = 0;
        int updates = 0;
        while (last < 30) {
            last = stream.next("job").path("progress").asDouble();
            stream.next("tasks");
            updates++;
        }
        // 30 notices, at most one update per 300 ms; a notice that came while the latest state was
        // being sent may add one more update, never a stream of them
        assertThat(updates).isLessThan(15);
        assertThat(stream.count(Duration.ofSeconds(1), "job")).isLessThanOrEqualTo(1);
    }

    @Test
    void theListStreamSendsAListEntryForAChangedJob() throws Exception {
        job("RUNNING", 25);
        EventStream stream = open("/api/jobs/events");
        notifyChanged(jobId);
        JsonNode entry = stream.next("job");
        assertThat(entry.path("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(entry.path("progress").asDouble()).isEqualTo(25);
        assertThat(entry.path("owner").asString()).isEqualTo("anonymous");
        assertThat(entry.has("counters")).isFalse(); // a list entry, not the job view
    }

    @Test
    void idleStreamsGetKeepAlivesAndAClosedClientIsForgotten() throws Exception {
        job("RUNNING", 5);
        EventStream stream = open("/api/jobs/" + jobId + "/events");
        stream.next("job");
        assertThat(stream.next("comment").asString()).isEqualTo(" keep-alive");
        assertThat(streams.openStreams()).isEqualTo(1);
        stream.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.openStreams() == 0);
    }

    @Test
    void aTenantOpensAtMostItsCapOfStreamsAndTheOthersStillGetTheirs() throws Exception {
        List<EventStream> acme = new ArrayList<>();
        for (int i = 0; i < STREAMS_PER_TENANT; i++) {
            acme.add(open("/api/jobs/events", "acme"));
            assertThat(acme.get(i).response.statusCode()).isEqualTo(200);
        }

        EventStream refused = open("/api/jobs/events", "acme");
        assertThat(refused.response.statusCode()).isEqualTo(429);
        assertThat(refused.response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.response.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        assertThat(open("/api/jobs/events", "globex").response.statusCode()).isEqualTo(200);
        assertThat(open("/api/jobs/events").response.statusCode()).isEqualTo(200);
        assertThat(open("/api/jobs/events").response.statusCode()).isEqualTo(200);
        assertThat(open("/api/jobs/events").response.statusCode()).isEqualTo(200);

        acme.get(0).close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            EventStream again = open("/api/jobs/events", "acme");
            assertThat(again.response.statusCode()).isEqualTo(200);
        });
    }

    @Test
    void clientsThatGoAtOnceAreForgottenAndGiveTheirSlotsBack() throws Exception {
        // these reset the connection right after the request, so the gateway's first write fails,
        // often before the stream's completion callbacks are registered with the container
        for (int i = 0; i < 20; i++) {
            goAway(null, false);
        }
        // these go once the stream has started: only a keep-alive finds them gone
        for (int i = 0; i < STREAMS_PER_TENANT; i++) {
            goAway("acme", true);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.openStreams() == 0);

        List<EventStream> acme = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            EventStream again = open("/api/jobs/events", "acme");
            if (again.response.statusCode() == 200) {
                acme.add(again);
            }
            assertThat(acme).hasSize(STREAMS_PER_TENANT);
        });
        // and none of the 22 stays: only the two just opened are open
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.openStreams() == STREAMS_PER_TENANT);
    }

    /**
     * Asks for the jobs list stream as {@code caller} (null: anonymous) and resets the connection,
     * at once or once the stream has started ({@code started}).
     */
    void goAway(String caller, boolean started) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoLinger(true, 0);
            String request = "GET /api/jobs/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + (caller == null ? "" : TestCallers.HEADER + ": " + caller + "\r\n")
                    + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            if (started) {
                socket.setSoTimeout(10_000);
                String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(status).isEqualTo("HTTP/1.1 200");
            }
        }
    }

    // --- a minimal SSE client over java.net.http ---

    EventStream open(String path) throws IOException, InterruptedException {
        return open(path, null);
    }

    /** Opens a stream as {@code caller} ({@link TestCallers}; null: anonymous). */
    EventStream open(String path, String caller) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream");
        if (caller != null) {
            request.header(TestCallers.HEADER, caller);
        }
        HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        EventStream stream = new EventStream(response);
        opened.add(stream);
        return stream;
    }

    record Event(String name, String data) {}

    static final class EventStream {
        static final Event END = new Event("end", "");
        final HttpResponse<Stream<String>> response;
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final Thread reader;

        EventStream(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.reader = new Thread(this::read, "sse-test-client");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            String name = "message";
            StringBuilder data = new StringBuilder();
            try (Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(name, data.toString()));
                        }
                        name = "message";
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        events.add(new Event("comment", "\"" + line.substring(1) + "\""));
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(5));
                    }
                }
            } catch (RuntimeException e) {
                // closed by the test
            } finally {
                events.add(END);
            }
        }

        /** The next event named {@code name}, skipping others (keep-alives); fails after 10 s. */
        JsonNode next(String name) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e == null || e == END) {
                    throw new AssertionError("no '" + name + "' event: " + (e == null ? "timed out" : "stream ended"));
                }
                if (e.name().equals(name)) {
                    return JSON.readTree(e.data());
                }
            }
        }

        /** How many events named {@code name} come within {@code time}. */
        int count(Duration time, String name) throws InterruptedException {
            int n = 0;
            long deadline = System.nanoTime() + time.toNanos();
            while (System.nanoTime() < deadline) {
                Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e != null && e.name().equals(name)) {
                    n++;
                }
            }
            return n;
        }

        /** Waits for the server to end the stream, with no other job event before. */
        void awaitEnd() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("the stream did not end");
                }
                if (e == END) {
                    return;
                }
                assertThat(e.name()).as("event after the final state").isEqualTo("comment");
            }
        }

        void close() {
            reader.interrupt();
            response.body().close();
        }
    }
}
