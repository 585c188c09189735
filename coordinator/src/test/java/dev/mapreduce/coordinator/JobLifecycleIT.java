package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * The coordinator's side of a job, with scripted workers: it fixes the input, splits it, moves
 * the job through its states as events arrive, ignores duplicate and stale events, fails a job
 * whose task fails, and deletes the job's shuffle keys at the end.
 */
class JobLifecycleIT extends ScriptedWorkersTestBase {

    @Autowired
    ShuffleStore shuffle;

    static String topicWith(int partitions, int... recordsPerPartition) throws Exception {
        String topic = "lifecycle-" + UUID.randomUUID();
        TestKafka.createTopic(topic, partitions);
        try (var producer = new KafkaProducer<byte[], byte[]>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int p = 0; p < recordsPerPartition.length; p++) {
                for (int i = 0; i < recordsPerPartition[p]; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, ("line " + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        return topic;
    }

    List<TaskMessage> awaitTasks(UUID jobId, TaskType type, int n) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> taken.stream()
                                .filter(t -> t.jobId().equals(jobId) && t.type() == type)
                                .count()
                        >= n);
        return taken.stream()
                .filter(t -> t.jobId().equals(jobId) && t.type() == type)
                .sorted(java.util.Comparator.comparingInt(TaskMessage::taskIndex))
                .toList();
    }

    static AttemptCounters mapCounters(long records) {
        return new AttemptCounters(records, 1, records, records, 100, 0, 0);
    }

    void commitReduce(TaskMessage task, long rows) {
        jdbc.update(
                "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows) VALUES (?, ?, ?, ?, ?)",
                task.jobId(),
                task.taskIndex(),
                task.attempt(),
                "scripted-reduce",
                rows);
    }

    @Test
    void runsAJobThroughEveryStateAndIgnoresDuplicateAndStaleEvents() throws Exception {
        String topic = topicWith(3, 5, 0, 7);
        UUID jobId = submit("{\"jobName\":\"lifecycle\",\"inputTopic\":\"" + topic
                + "\",\"numMappers\":3,\"numReducers\":2,\"mapFunction\":\"WORD_COUNT\",\"reduceFunction\":\"SUM\"}");

        List<TaskMessage> maps = awaitTasks(jobId, TaskType.MAP, 3);
        assertThat(maps).extracting(TaskMessage::taskIndex).containsExactly(0, 1, 2);
        assertThat(maps).allSatisfy(m -> {
            assertThat(m.attempt()).isEqualTo(1);
            assertThat(m.inputTopic()).isEqualTo(topic);
            assertThat(m.numReducers()).isEqualTo(2);
        });
        // 12 records over partitions 0 (0..5) and 2 (0..7), 4 per task
        assertThat(maps.stream()
                        .flatMap(m -> m.ranges().stream())
                        .mapToLong(OffsetRange::count)
                        .sum())
                .isEqualTo(12);
        assertThat(maps).allSatisfy(m -> assertThat(
                        m.ranges().stream().mapToLong(OffsetRange::count).sum())
                .isEqualTo(4));
        assertThat(status(jobId)).isEqualTo("RUNNING");

        // a zombie's shuffle key, to be deleted at the end of the job
        shuffle.writeRuns(jobId, 0, 9, new byte[][] {{1}, {2}}, Duration.ofMinutes(5));

        for (TaskMessage m : maps) {
            events.send(TaskEvent.started(m, "scripted-map"));
        }
        events.send(TaskEvent.succeeded(maps.get(0), "scripted-map", mapCounters(4)));
        events.send(TaskEvent.succeeded(maps.get(0), "scripted-map", mapCounters(999))); // duplicate
        events.send(TaskEvent.succeeded(maps.get(1), "scripted-map", mapCounters(4)));
        // a stale attempt of task 2 must not complete it
        TaskMessage stale = new TaskMessage(
                jobId, TaskType.MAP, 2, 7, "WORD_COUNT", "SUM", Map.of(), true, 2, topic, List.of(), List.of(), null);
        events.send(TaskEvent.succeeded(stale, "zombie", mapCounters(4)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM tasks WHERE job_id = ? AND status = 'COMPLETED'",
                                Integer.class,
                                jobId)
                        == 2);
        assertThat(status(jobId)).isEqualTo("RUNNING");
        assertThat(jdbc.queryForObject(
                        "SELECT records_read FROM tasks WHERE job_id = ? AND task_type = 'MAP' AND task_index = 0",
                        Long.class,
                        jobId))
                .isEqualTo(4);

        events.send(TaskEvent.succeeded(maps.get(2), "scripted-map", mapCounters(4)));
        List<TaskMessage> reduces = awaitTasks(jobId, TaskType.REDUCE, 2);
        assertThat(status(jobId)).isEqualTo("REDUCE_RUNNING");
        assertThat(reduces).allSatisfy(r -> assertThat(r.mapRuns())
                .extracting(ref -> ref.mapTask() + "#" + ref.attempt())
                .containsExactly("0#1", "1#1", "2#1"));

        for (TaskMessage r : reduces) {
            events.send(TaskEvent.started(r, "scripted-reduce"));
        }
        // a reduce success without its commit row is not trusted
        events.send(TaskEvent.succeeded(reduces.get(0), "scripted-reduce", AttemptCounters.NONE));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM tasks WHERE job_id = ? AND task_type = 'REDUCE'"
                                        + " AND status = 'COMPLETED'",
                                Integer.class,
                                jobId)
                        == 0);
        for (TaskMessage r : reduces) {
            commitReduce(r, 3);
            events.send(TaskEvent.succeeded(r, "scripted-reduce", new AttemptCounters(0, 0, 0, 0, 0, 6, 3)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("COMPLETED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> shuffle.deleteJob(jobId) == 0);

        client.get()
                .uri("/internal/jobs/" + jobId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("COMPLETED")
                .jsonPath("$.totalMapTasks")
                .isEqualTo(3)
                .jsonPath("$.completedReduceTasks")
                .isEqualTo(2)
                .jsonPath("$.progress")
                .isEqualTo(100.0)
                .jsonPath("$.counters.recordsRead")
                .isEqualTo(12)
                .jsonPath("$.counters.malformedRecords")
                .isEqualTo(3)
                .jsonPath("$.counters.outputRecords")
                .isEqualTo(6)
                .jsonPath("$.mapCompletedAt")
                .exists();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM task_attempts WHERE job_id = ? AND status = 'SUCCEEDED'",
                        Integer.class,
                        jobId))
                .isEqualTo(5);

        // events after the end change nothing
        events.send(TaskEvent.failed(reduces.get(1), "scripted-reduce", "late failure"));
        events.send(TaskEvent.succeeded(maps.get(1), "scripted-map", mapCounters(1000)));
        TaskMessage marker = maps.get(0);
        events.send(TaskEvent.started(marker, "scripted-map"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM workers WHERE worker_id = 'scripted-map'", Integer.class)
                        == 1);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> status(jobId).equals("COMPLETED")
                        && jdbc.queryForObject(
                                        "SELECT sum(records_read) FROM tasks WHERE job_id = ?", Long.class, jobId)
                                == 12);

        // the troubleshooting query users know, as written: every task, slowest first
        List<Map<String, Object>> slowest = jdbc.queryForList(
                "SELECT task_id, EXTRACT(EPOCH FROM (completed_at - started_at)) as duration_sec FROM tasks WHERE job_id = '"
                        + jobId + "' AND status = 'COMPLETED' ORDER BY duration_sec DESC LIMIT 5");
        assertThat(slowest)
                .extracting(row -> row.get("task_id"))
                .containsExactlyInAnyOrder(
                        jobId + "/map-0", jobId + "/map-1", jobId + "/map-2", jobId + "/reduce-0", jobId + "/reduce-1");
        assertThat(slowest)
                .extracting(row -> ((Number) row.get("duration_sec")).doubleValue())
                .allSatisfy(seconds -> assertThat(seconds).isNotNegative())
                .isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void aTaskThatAlwaysFailsIsRetriedAwayFromItsWorkerThenFailsTheJobWithItsMessage() throws Exception {
        String topic = topicWith(1, 3);
        UUID jobId = submit("{\"jobName\":\"failing\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1}");
        for (int attempt = 1; attempt <= 4; attempt++) {
            TaskMessage map = awaitAttempt(jobId, TaskType.MAP, 0, attempt);
            if (attempt > 1) {
                assertThat(map.avoidWorkers()).contains("scripted-map-" + (attempt - 1));
            }
            events.send(TaskEvent.started(map, "scripted-map-" + attempt));
            events.send(TaskEvent.failed(map, "scripted-map-" + attempt, "IOException: disk on fire #" + attempt));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("FAILED"));
        client.get()
                .uri("/internal/jobs/" + jobId)
                .exchange()
                .expectBody()
                .jsonPath("$.error")
                .value(e -> assertThat(e.toString())
                        .contains("map task 0 failed 4 times")
                        .contains("disk on fire #4"));
        assertThat(jdbc.queryForList(
                        "SELECT status FROM task_attempts WHERE job_id = ? ORDER BY attempt", String.class, jobId))
                .containsExactly("FAILED", "FAILED", "FAILED", "FAILED");
        assertThat(jdbc.queryForObject(
                        "SELECT error FROM task_attempts WHERE job_id = ? AND attempt = 1", String.class, jobId))
                .isEqualTo("IOException: disk on fire #1");

        // the troubleshooting queries users know, as written (README, docs/operations.md)
        assertThat(jdbc.queryForList("SELECT task_type, status, COUNT(*) FROM tasks WHERE job_id = '" + jobId
                        + "' GROUP BY task_type, status"))
                .containsExactly(Map.of("task_type", "MAP", "status", "FAILED", "count", 1L));
        assertThat(jdbc.queryForList("SELECT task_id, error_message, retry_count FROM tasks WHERE status = 'FAILED'"
                        + " ORDER BY created_at DESC LIMIT 10"))
                .contains(Map.of(
                        "task_id",
                        jobId + "/map-0",
                        "error_message",
                        "IOException: disk on fire #4",
                        "retry_count",
                        3));
    }

    @Test
    void aJobThatFailsInReduceLeavesNoRowsFromItsCommittedPartitions() throws Exception {
        String topic = topicWith(1, 2);
        UUID jobId = submit("{\"jobName\":\"fails-in-reduce\",\"inputTopic\":\"" + topic
                + "\",\"numMappers\":1,\"numReducers\":2}");
        TaskMessage map = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        events.send(TaskEvent.succeeded(map, "scripted-map", mapCounters(2)));
        TaskMessage committed = awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        events.send(TaskEvent.started(committed, "scripted-reduce"));
        jdbc.update("INSERT INTO results VALUES (?, 'k', 1)", jobId);
        commitReduce(committed, 1);
        events.send(TaskEvent.succeeded(committed, "scripted-reduce", AttemptCounters.NONE));
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED"
                .equals(jdbc.queryForObject(
                        "SELECT status FROM tasks WHERE job_id = ? AND task_type = 'REDUCE' AND task_index = 0",
                        String.class,
                        jobId)));
        for (int attempt = 1; attempt <= 4; attempt++) {
            TaskMessage failing = awaitAttempt(jobId, TaskType.REDUCE, 1, attempt);
            events.send(TaskEvent.started(failing, "scripted-reduce-" + attempt));
            events.send(TaskEvent.failed(failing, "scripted-reduce-" + attempt, "InjectedFaultException: always"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("FAILED"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM results WHERE job_id = ?", Integer.class, jobId))
                .isZero();
    }

    @Test
    void aFailureIsRetriedAndTheJobStillCompletes() throws Exception {
        String topic = topicWith(1, 2);
        UUID jobId =
                submit("{\"jobName\":\"retried\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1,\"numReducers\":1}");
        TaskMessage first = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        events.send(TaskEvent.started(first, "scripted-map"));
        events.send(TaskEvent.failed(first, "scripted-map", "InjectedFaultException: once"));
        TaskMessage second = awaitAttempt(jobId, TaskType.MAP, 0, 2);
        events.send(TaskEvent.started(second, "scripted-map-b"));
        events.send(TaskEvent.succeeded(second, "scripted-map-b", mapCounters(2)));
        // the first attempt's late success changes nothing
        events.send(TaskEvent.succeeded(first, "scripted-map", mapCounters(999)));
        TaskMessage reduce = awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        assertThat(reduce.mapRuns())
                .extracting(r -> r.mapTask() + "#" + r.attempt())
                .containsExactly("0#2");
        commitReduce(reduce, 1);
        events.send(TaskEvent.succeeded(reduce, "scripted-reduce", AttemptCounters.NONE));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("COMPLETED"));
        assertThat(jdbc.queryForObject(
                        "SELECT records_read FROM tasks WHERE job_id = ? AND task_type = 'MAP'", Long.class, jobId))
                .isEqualTo(2);
    }

    @Test
    void aReduceCommittedByAnAttemptWhoseReportWasLostCompletesTheTask() throws Exception {
        String topic = topicWith(1, 2);
        UUID jobId = submit(
                "{\"jobName\":\"lost-report\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1,\"numReducers\":1}");
        TaskMessage map = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        events.send(TaskEvent.succeeded(map, "scripted-map", mapCounters(2)));
        TaskMessage reduce = awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        events.send(TaskEvent.started(reduce, "scripted-reduce"));
        commitReduce(reduce, 5); // ... and the worker dies before reporting; the next attempt finds the commit
        events.send(TaskEvent.aborted(reduce, "scripted-reduce", "worker stopping"));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("COMPLETED"));
        assertThat(jdbc.queryForObject(
                        "SELECT committed_attempt FROM tasks WHERE job_id = ? AND task_type = 'REDUCE'",
                        Integer.class,
                        jobId))
                .isEqualTo(1);
    }

    @Test
    void cancelStopsAJobAndRemovesItsRows() throws Exception {
        String topic = topicWith(1, 2);
        UUID jobId = submit("{\"jobName\":\"cancel-me\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1}");
        TaskMessage map = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        events.send(TaskEvent.started(map, "scripted-map"));
        jdbc.update("INSERT INTO results VALUES (?, 'k', 1)", jobId);
        client.post()
                .uri("/internal/jobs/" + jobId + "/cancel")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("CANCELLED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM results WHERE job_id = ?", Integer.class, jobId))
                .isZero();
        events.send(TaskEvent.succeeded(map, "scripted-map", mapCounters(2)));
        client.post()
                .uri("/internal/jobs/" + jobId + "/cancel")
                .exchange()
                .expectStatus()
                .isEqualTo(409);
        client.post()
                .uri("/internal/jobs/" + UUID.randomUUID() + "/cancel")
                .exchange()
                .expectStatus()
                .isNotFound();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> status(jobId)
                .equals("CANCELLED"));
        client.get()
                .uri("/internal/leadership")
                .exchange()
                .expectBody()
                .jsonPath("$.leader")
                .isEqualTo(true);
    }

    @Test
    void anEmptyTopicRunsOneEmptyMapTask() throws Exception {
        String topic = topicWith(2);
        UUID jobId = submit("{\"jobName\":\"empty\",\"inputTopic\":\"" + topic + "\",\"numReducers\":1}");
        TaskMessage map = awaitTasks(jobId, TaskType.MAP, 1).get(0);
        assertThat(map.ranges()).isEmpty();
        events.send(TaskEvent.succeeded(map, "scripted-map", AttemptCounters.NONE));
        TaskMessage reduce = awaitTasks(jobId, TaskType.REDUCE, 1).get(0);
        commitReduce(reduce, 0);
        events.send(TaskEvent.succeeded(reduce, "scripted-reduce", AttemptCounters.NONE));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("COMPLETED"));
    }

    @Test
    void badSubmitsAreProblemDetailsAndCreateNothing() {
        Integer before = jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class);
        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"x\",\"inputTopic\":\"no-such-topic-" + UUID.randomUUID() + "\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("inputTopic");
        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"numMappers\":0,\"mapFunction\":\"NOPE\",\"reduceFunction\":\"MEDIAN\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field")
                .value(fields -> assertThat((List<Object>) fields)
                        .containsExactlyInAnyOrder("jobName", "numMappers", "mapFunction", "reduceFunction"));
        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":")
                .exchange()
                .expectStatus()
                .isBadRequest();
        client.get().uri("/internal/jobs/not-a-uuid").exchange().expectStatus().isNotFound();
        client.get()
                .uri("/internal/jobs/" + UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class))
                .isEqualTo(before);
    }
}
