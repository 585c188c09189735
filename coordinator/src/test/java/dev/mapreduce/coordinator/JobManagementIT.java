package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.testing.TestDatabase;
import dev.mapreduce.runtime.testing.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The internal job management API: owners, the jobs list, tasks, workers and delete. */
class JobManagementIT extends CoordinatorTestBase {

    @Autowired
    RestTestClient client;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ShuffleStore shuffle;

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    UUID insertJob(String name, String status, String owner, Instant createdAt) {
        UUID jobId = UUID.randomUUID();
        boolean ended = List.of("COMPLETED", "FAILED", "CANCELLED").contains(status);
        jdbc.update(
                "INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers, map_function,"
                        + " reduce_function, owner, created_at, started_at, completed_at)"
                        + " VALUES (?, ?, ?, 'application-logs', 2, 1, 'WORD_COUNT', 'SUM', ?, ?, ?, ?)",
                jobId,
                name,
                status,
                owner,
                Timestamp.from(createdAt),
                Timestamp.from(createdAt),
                ended ? Timestamp.from(createdAt.plusMillis(1500)) : null);
        return jobId;
    }

    /** Two map tasks (the first retried once), one reduce task, a commit and two result rows. */
    void insertTasks(UUID jobId) {
        jdbc.update(
                "INSERT INTO tasks (job_id, task_type, task_index, status, current_attempt, committed_attempt, input,"
                        + " records_read, combine_output_records, failures, started_at, completed_at)"
                        + " VALUES (?, 'MAP', 0, 'COMPLETED', 2, 2,"
                        + " '[{\"partition\":0,\"start\":0,\"end\":25000}]', 25000, 40, 1, ?, ?),"
                        + " (?, 'MAP', 1, 'COMPLETED', 1, 1,"
                        + " '[{\"partition\":1,\"start\":10,\"end\":20},{\"partition\":2,\"start\":0,\"end\":5}]',"
                        + " 15, 7, 0, ?, ?)",
                jobId,
                Timestamp.from(T0),
                Timestamp.from(T0.plusMillis(900)),
                jobId,
                Timestamp.from(T0),
                Timestamp.from(T0.plusMillis(300)));
        jdbc.update(
                "INSERT INTO tasks (job_id, task_type, task_index, status, committed_attempt, reduce_input_records,"
                        + " output_records) VALUES (?, 'REDUCE', 0, 'COMPLETED', 1, 47, 2)",
                jobId);
        jdbc.update(
                "INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status, worker_id, queued_at,"
                        + " started_at, finished_at, records_read, malformed_records, combine_output_records,"
                        + " shuffle_bytes, error) VALUES"
                        + " (?, 'MAP', 0, 2, 'SUCCEEDED', 'map-worker-2', ?, ?, ?, 25000, 3, 40, 512, NULL),"
                        + " (?, 'MAP', 0, 1, 'FAILED', 'map-worker-1', ?, ?, ?, 0, 0, 0, 0, 'IOException: boom'),"
                        + " (?, 'MAP', 1, 1, 'SUCCEEDED', 'map-worker-1', ?, NULL, NULL, 15, 0, 7, 64, NULL)",
                jobId,
                Timestamp.from(T0.plusMillis(400)),
                Timestamp.from(T0.plusMillis(500)),
                Timestamp.from(T0.plusMillis(900)),
                jobId,
                Timestamp.from(T0),
                Timestamp.from(T0.plusMillis(10)),
                Timestamp.from(T0.plusMillis(300)),
                jobId,
                Timestamp.from(T0));
        jdbc.update(
                "INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status, worker_id,"
                        + " reduce_input_records, output_records, speculative)"
                        + " VALUES (?, 'REDUCE', 0, 1, 'SUCCEEDED', 'reduce-worker-1', 47, 2, true)",
                jobId);
        jdbc.update(
                "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows)"
                        + " VALUES (?, 0, 1, 'reduce-worker-1', 2)",
                jobId);
        jdbc.update("INSERT INTO results VALUES (?, 'error', 12), (?, 'warn', 3)", jobId, jobId);
    }

    long rows(String table, UUID jobId) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE job_id = ?", Long.class, jobId);
    }

    // --- submit and owner ---

    @Test
    void aSubmittedJobKeepsTheOwnerHeaderAndAnswersItsView() throws Exception {
        String topic = "owned-" + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        String body = "{\"jobName\":\"owned\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1,\"numReducers\":1}";
        String jobId = client.post()
                .uri("/internal/jobs")
                .header("X-MapReduce-Owner", "acme")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.message")
                .isEqualTo("Job submitted successfully")
                .jsonPath("$.status")
                .isEqualTo("RUNNING")
                .jsonPath("$.owner")
                .isEqualTo("acme")
                .jsonPath("$.jobName")
                .isEqualTo("owned")
                .jsonPath("$.totalMapTasks")
                .isEqualTo(1)
                .returnResult()
                .getResponseBody()
                .toString();
        UUID id = UUID.fromString(
                jdbc.queryForObject("SELECT job_id::text FROM jobs WHERE job_name = 'owned'", String.class));
        assertThat(jobId).isNotNull();
        client.get()
                .uri("/internal/jobs/" + id)
                .exchange()
                .expectBody()
                .jsonPath("$.owner")
                .isEqualTo("acme")
                .jsonPath("$.resultsUrl")
                .isEqualTo("/api/jobs/" + id + "/results")
                .jsonPath("$.resultsQuery")
                .value(q -> assertThat(q.toString()).contains(id.toString()));

        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body.replace("\"owned\"", "\"unowned\""))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.owner")
                .doesNotExist();
        assertThat(jdbc.queryForObject("SELECT owner FROM jobs WHERE job_name = 'unowned'", String.class))
                .isNull();
    }

    // --- the list ---

    @Test
    void theListIsNewestFirstFilteredAndPaged() {
        String tag = "list-" + UUID.randomUUID().toString().substring(0, 8);
        UUID oldest = insertJob(tag + "-Word-Count", "COMPLETED", "acme", T0);
        UUID middle = insertJob(tag + "-errors", "FAILED", "globex", T0.plusSeconds(60));
        UUID newest = insertJob(tag + "-word_50%", "RUNNING", "acme", T0.plusSeconds(120));
        insertTasks(oldest);

        client.get()
                .uri("/internal/jobs?name=" + tag)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(3)
                .jsonPath("$.limit")
                .isEqualTo(20)
                .jsonPath("$.offset")
                .isEqualTo(0)
                .jsonPath("$.jobs[*].jobId")
                .isEqualTo(List.of(newest.toString(), middle.toString(), oldest.toString()))
                .jsonPath("$.jobs[2].jobName")
                .isEqualTo(tag + "-Word-Count")
                .jsonPath("$.jobs[2].status")
                .isEqualTo("COMPLETED")
                .jsonPath("$.jobs[2].owner")
                .isEqualTo("acme")
                .jsonPath("$.jobs[2].inputTopic")
                .isEqualTo("application-logs")
                .jsonPath("$.jobs[2].mapFunction")
                .isEqualTo("WORD_COUNT")
                .jsonPath("$.jobs[2].reduceFunction")
                .isEqualTo("SUM")
                .jsonPath("$.jobs[2].createdAt")
                .isEqualTo("2026-11-20T10:00:00Z")
                .jsonPath("$.jobs[2].completedAt")
                .isEqualTo("2026-11-20T10:00:01.500Z")
                .jsonPath("$.jobs[2].durationMs")
                .isEqualTo(1500)
                .jsonPath("$.jobs[2].progress")
                .isEqualTo(100.0)
                .jsonPath("$.jobs[0].progress")
                .isEqualTo(0.0)
                .jsonPath("$.jobs[0].completedAt")
                .isEmpty();

        assertThat(ids("/internal/jobs?name=" + tag.toUpperCase() + "-WORD")).containsExactly(newest, oldest);
        assertThat(ids("/internal/jobs?name={name}", tag + "-word_50%")).containsExactly(newest);
        assertThat(ids("/internal/jobs?name={name}&status={status}", tag, "completed, FAILED"))
                .containsExactly(middle, oldest);
        assertThat(ids("/internal/jobs?name=" + tag + "&owner=acme")).containsExactly(newest, oldest);
        assertThat(ids("/internal/jobs?name=" + tag + "&owner=nobody")).isEmpty();
        client.get()
                .uri("/internal/jobs?name=" + tag + "&limit=1&offset=1")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(3)
                .jsonPath("$.limit")
                .isEqualTo(1)
                .jsonPath("$.offset")
                .isEqualTo(1)
                .jsonPath("$.jobs[*].jobId")
                .isEqualTo(List.of(middle.toString()));
        assertThat(ids("/internal/jobs?name=" + tag + "&offset=3")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    List<UUID> ids(String uri, Object... variables) {
        Map<String, Object> page = client.get()
                .uri(uri, variables)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return ((List<Map<String, Object>>) page.get("jobs"))
                .stream().map(j -> UUID.fromString(j.get("jobId").toString())).toList();
    }

    @Test
    void badListParametersAreA400ProblemNamingEach() {
        client.get()
                .uri("/internal/jobs?status=RUNNING,DONE&limit=0&offset=-1")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Invalid query")
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of("status", "limit", "offset"));
        for (String query : List.of("limit=201", "limit=ten", "offset=1.5", "status=running;failed")) {
            client.get()
                    .uri("/internal/jobs?" + query)
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        client.get()
                .uri("/internal/jobs?limit=200&status=")
                .exchange()
                .expectStatus()
                .isOk();
    }

    // --- tasks ---

    @Test
    void tasksComeMapsFirstWithTheirAttemptsInOrder() {
        UUID jobId = insertJob("tasks", "COMPLETED", null, T0);
        insertTasks(jobId);

        client.get()
                .uri("/internal/jobs/" + jobId + "/tasks")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.jobId")
                .isEqualTo(jobId.toString())
                .jsonPath("$.tasks[*].type")
                .isEqualTo(List.of("MAP", "MAP", "REDUCE"))
                .jsonPath("$.tasks[*].index")
                .isEqualTo(List.of(0, 1, 0))
                .jsonPath("$.tasks[0].input")
                .isEqualTo("application-logs[0:0-25000]")
                .jsonPath("$.tasks[1].input")
                .isEqualTo("application-logs[1:10-20, 2:0-5]")
                .jsonPath("$.tasks[2].input")
                .isEqualTo("partition 0")
                .jsonPath("$.tasks[0].status")
                .isEqualTo("COMPLETED")
                .jsonPath("$.tasks[0].currentAttempt")
                .isEqualTo(2)
                .jsonPath("$.tasks[0].committedAttempt")
                .isEqualTo(2)
                .jsonPath("$.tasks[0].failures")
                .isEqualTo(1)
                .jsonPath("$.tasks[0].durationMs")
                .isEqualTo(900)
                .jsonPath("$.tasks[0].recordsRead")
                .isEqualTo(25000)
                .jsonPath("$.tasks[0].outputRecords")
                .isEqualTo(40)
                .jsonPath("$.tasks[2].recordsRead")
                .isEqualTo(47)
                .jsonPath("$.tasks[2].outputRecords")
                .isEqualTo(2)
                .jsonPath("$.tasks[2].durationMs")
                .isEmpty()
                .jsonPath("$.tasks[0].attempts[*].attempt")
                .isEqualTo(List.of(1, 2))
                .jsonPath("$.tasks[0].attempts[0].status")
                .isEqualTo("FAILED")
                .jsonPath("$.tasks[0].attempts[0].error")
                .isEqualTo("IOException: boom")
                .jsonPath("$.tasks[0].attempts[0].workerId")
                .isEqualTo("map-worker-1")
                .jsonPath("$.tasks[0].attempts[0].durationMs")
                .isEqualTo(290)
                .jsonPath("$.tasks[0].attempts[1].queuedAt")
                .isEqualTo("2026-11-20T10:00:00.400Z")
                .jsonPath("$.tasks[0].attempts[1].recordsRead")
                .isEqualTo(25000)
                .jsonPath("$.tasks[0].attempts[1].malformedRecords")
                .isEqualTo(3)
                .jsonPath("$.tasks[0].attempts[1].outputRecords")
                .isEqualTo(40)
                .jsonPath("$.tasks[0].attempts[1].shuffleBytes")
                .isEqualTo(512)
                .jsonPath("$.tasks[0].attempts[1].speculative")
                .isEqualTo(false)
                .jsonPath("$.tasks[1].attempts[0].startedAt")
                .isEmpty()
                .jsonPath("$.tasks[1].attempts[0].durationMs")
                .isEmpty()
                .jsonPath("$.tasks[2].attempts[0].speculative")
                .isEqualTo(true)
                .jsonPath("$.tasks[2].attempts[0].outputRecords")
                .isEqualTo(2);

        client.get()
                .uri("/internal/jobs/" + UUID.randomUUID() + "/tasks")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/internal/jobs/nope/tasks").exchange().expectStatus().isNotFound();
    }

    // --- workers ---

    @Test
    void workersShowTheirLiveAttempts() {
        String worker = "map-worker-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update(
                "INSERT INTO workers (worker_id, worker_type, first_seen, last_heartbeat)"
                        + " VALUES (?, 'MAP', now() - interval '1 minute', now() - interval '2 seconds')",
                worker);
        UUID jobId = insertJob("busy", "RUNNING", null, T0);
        jdbc.update(
                "INSERT INTO tasks (job_id, task_type, task_index, status) VALUES (?, 'MAP', 0, 'RUNNING'),"
                        + " (?, 'MAP', 1, 'RUNNING'), (?, 'MAP', 2, 'COMPLETED')",
                jobId,
                jobId,
                jobId);
        jdbc.update(
                "INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status, worker_id) VALUES"
                        + " (?, 'MAP', 0, 1, 'RUNNING', ?), (?, 'MAP', 1, 1, 'QUEUED', ?),"
                        + " (?, 'MAP', 2, 1, 'SUCCEEDED', ?)",
                jobId,
                worker,
                jobId,
                worker,
                jobId,
                worker);

        client.get()
                .uri("/internal/workers")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.workers[?(@.workerId == '" + worker + "')].type")
                .isEqualTo(List.of("MAP"))
                .jsonPath("$.workers[?(@.workerId == '" + worker + "')].status")
                .isEqualTo(List.of("ALIVE"))
                .jsonPath("$.workers[?(@.workerId == '" + worker + "')].runningTasks")
                .isEqualTo(List.of(2))
                .jsonPath("$.workers[?(@.workerId == '" + worker + "')].heartbeatAgeMs")
                .value(ages ->
                        assertThat(((List<Number>) ages).get(0).longValue()).isBetween(2_000L, 60_000L))
                .jsonPath("$.workers[?(@.workerId == '" + worker + "')].firstSeen")
                .isNotEmpty()
                .jsonPath("$.workers[?(@.workerId == '" + worker + "')].lastHeartbeat")
                .isNotEmpty();
    }

    // --- delete ---

    @Test
    void deletingAnEndedJobRemovesEveryRowAndItsShuffleKeys() {
        UUID jobId = insertJob("delete-me", "COMPLETED", "acme", T0);
        insertTasks(jobId);
        UUID neighbour = insertJob("keep-me", "COMPLETED", "acme", T0);
        insertTasks(neighbour);
        shuffle.writeRuns(jobId, 0, 2, new byte[][] {{1}}, Duration.ofMinutes(5));
        shuffle.writeRuns(neighbour, 0, 2, new byte[][] {{1}}, Duration.ofMinutes(5));

        client.delete().uri("/internal/jobs/" + jobId).exchange().expectStatus().isNoContent();

        for (String table : List.of("jobs", "tasks", "task_attempts", "reduce_commits", "results")) {
            assertThat(rows(table, jobId)).as(table).isZero();
            assertThat(rows(table, neighbour)).as(table).isPositive();
        }
        // the shuffle keys go after the commit, off the request's thread
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        shuffle.missingRuns(jobId, 0, List.of(new dev.mapreduce.protocol.MapRunRef(0, 2))))
                .containsExactly(0));
        assertThat(shuffle.missingRuns(neighbour, 0, List.of(new dev.mapreduce.protocol.MapRunRef(0, 2))))
                .isEmpty();
        client.get().uri("/internal/jobs/" + jobId).exchange().expectStatus().isNotFound();
        client.delete().uri("/internal/jobs/" + jobId).exchange().expectStatus().isNotFound();
        shuffle.deleteJob(neighbour);
    }

    @Test
    void aJobStillRunningIsNotDeletedAndUnknownJobsAre404() {
        UUID running = insertJob("running", "REDUCE_RUNNING", null, T0);
        client.delete()
                .uri("/internal/jobs/" + running)
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.jobStatus")
                .isEqualTo("REDUCE_RUNNING")
                .jsonPath("$.detail")
                .value(d -> assertThat(d.toString()).contains("cancel it"));
        assertThat(rows("jobs", running)).isOne();
        client.delete()
                .uri("/internal/jobs/" + UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Job not found");
        client.delete()
                .uri("/internal/jobs/not-a-uuid")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void deleteWaitsForAChangeHoldingTheJobLock() throws Exception {
        UUID jobId = insertJob("locked", "FAILED", null, T0);
        insertTasks(jobId);
        try (Connection scheduler = DriverManager.getConnection(DATABASE, TestDatabase.USER, TestDatabase.PASSWORD)) {
            scheduler.setAutoCommit(false);
            try (PreparedStatement lock =
                    scheduler.prepareStatement("SELECT 1 FROM jobs WHERE job_id = ? FOR UPDATE")) {
                lock.setObject(1, jobId);
                lock.executeQuery().close();
            }
            CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> client.delete()
                    .uri("/internal/jobs/" + jobId)
                    .exchange()
                    .returnResult(Void.class)
                    .getStatus()
                    .value());
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> !delete.isDone());
            assertThat(rows("tasks", jobId)).isPositive();
            scheduler.commit();
            assertThat(delete.get()).isEqualTo(204);
        }
        assertThat(rows("task_attempts", jobId)).isZero();
    }

    @Test
    void eventsForADeletedJobChangeNothing() {
        UUID jobId = insertJob("ghost", "CANCELLED", null, T0);
        insertTasks(jobId);
        client.delete().uri("/internal/jobs/" + jobId).exchange().expectStatus().isNoContent();

        TaskMessage map = new TaskMessage(
                jobId,
                TaskType.MAP,
                0,
                2,
                "WORD_COUNT",
                "SUM",
                Map.of(),
                true,
                1,
                "application-logs",
                List.of(),
                List.of(),
                null);
        String marker = "marker-" + UUID.randomUUID();
        try (KafkaMessages events = new KafkaMessages(TestKafka.bootstrapServers(), "ghost", Duration.ofSeconds(10))) {
            events.send(TaskEvent.started(map, "ghost-worker"));
            events.send(TaskEvent.failed(map, "ghost-worker", "late"));
            events.send(TaskEvent.heartbeat(marker, TaskType.MAP, List.of()));
        }
        // events apply in order: once the marker's heartbeat is in, the ghost's events were handled
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        jdbc.queryForObject("SELECT count(*) FROM workers WHERE worker_id = ?", Integer.class, marker)
                                == 1);
        for (String table : List.of("jobs", "tasks", "task_attempts")) {
            assertThat(rows(table, jobId)).as(table).isZero();
        }
    }
}
