package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every committed change of a job or of one of its tasks is announced on the
 * {@code mapreduce_job_events} channel with the job id, and the change is visible by the time the
 * notice arrives (PostgreSQL delivers it on commit).
 */
class JobEventsIT extends ScriptedWorkersTestBase {

    @Autowired
    AttemptStore attempts;

    Connection listener;

    @BeforeEach
    void listen() throws SQLException {
        listener = DriverManager.getConnection(DATABASE, TestDatabase.USER, TestDatabase.PASSWORD);
        try (Statement s = listener.createStatement()) {
            s.execute("LISTEN " + JobStore.JOB_EVENTS);
        }
    }

    @AfterEach
    void close() throws SQLException {
        listener.close();
    }

    /** Waits for a notice for {@code jobId} after which {@code changed} holds; returns the notices seen. */
    List<String> awaitNotice(UUID jobId, BooleanSupplier changed) throws SQLException {
        List<String> seen = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            PGNotification[] notices = listener.unwrap(PGConnection.class).getNotifications(500);
            for (PGNotification n : notices == null ? new PGNotification[0] : notices) {
                assertThat(n.getName()).isEqualTo(JobStore.JOB_EVENTS);
                seen.add(n.getParameter());
                if (n.getParameter().equals(jobId.toString()) && changed.getAsBoolean()) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no notice for job " + jobId + " after the change; saw " + seen);
    }

    String attemptStatus(UUID jobId, TaskType type, int index, int attempt) {
        return attempts.attemptStatus(new AttemptRef(jobId, type, index, attempt))
                .map(Enum::name)
                .orElse("");
    }

    @Test
    void eachChangeOfAJobAndItsTasksIsNotifiedWithTheJobId() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 6);
        UUID jobId = submit(
                "{\"jobName\":\"notified\",\"inputTopic\":\"" + topic + "\",\"numMappers\":2,\"numReducers\":1}");
        awaitNotice(jobId, () -> status(jobId).equals("RUNNING"));

        List<TaskMessage> maps =
                List.of(awaitAttempt(jobId, TaskType.MAP, 0, 1), awaitAttempt(jobId, TaskType.MAP, 1, 1));
        events.send(TaskEvent.started(maps.get(0), "scripted-map"));
        awaitNotice(jobId, () -> attemptStatus(jobId, TaskType.MAP, 0, 1).equals("RUNNING"));

        events.send(TaskEvent.succeeded(maps.get(0), "scripted-map", JobLifecycleIT.mapCounters(3)));
        awaitNotice(jobId, () -> attemptStatus(jobId, TaskType.MAP, 0, 1).equals("SUCCEEDED"));

        events.send(TaskEvent.failed(maps.get(1), "scripted-map", "IOException: once"));
        awaitNotice(jobId, () -> attemptStatus(jobId, TaskType.MAP, 1, 1).equals("FAILED"));
        // the retry (a new attempt) is a change of its own, made by the monitor
        TaskMessage retry = awaitAttempt(jobId, TaskType.MAP, 1, 2);
        events.send(TaskEvent.succeeded(retry, "scripted-map", JobLifecycleIT.mapCounters(3)));
        // the last map's success and the start of the reduce phase
        awaitNotice(jobId, () -> status(jobId).equals("REDUCE_RUNNING"));

        TaskMessage reduce = awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        jdbc.update(
                "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows) VALUES (?, 0, 1, ?, 2)",
                jobId,
                "scripted-reduce");
        events.send(TaskEvent.succeeded(reduce, "scripted-reduce", new AttemptCounters(0, 0, 0, 0, 0, 4, 2)));
        awaitNotice(jobId, () -> status(jobId).equals("COMPLETED"));
    }

    @Test
    void cancellingAndDeletingAJobAreNotified() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);
        UUID jobId = submit("{\"jobName\":\"cancel-notified\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1}");
        awaitNotice(jobId, () -> status(jobId).equals("RUNNING"));
        client.post()
                .uri("/internal/jobs/" + jobId + "/cancel")
                .exchange()
                .expectStatus()
                .isOk();
        awaitNotice(jobId, () -> status(jobId).equals("CANCELLED"));
        client.delete().uri("/internal/jobs/" + jobId).exchange().expectStatus().isNoContent();
        awaitNotice(
                jobId,
                () -> jdbc.queryForObject("SELECT count(*) FROM jobs WHERE job_id = ?", Integer.class, jobId) == 0);
    }

    @Test
    void aWorkerLostMidTaskIsNotified() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);
        UUID jobId = submit("{\"jobName\":\"lost-notified\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1}");
        TaskMessage map = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        events.send(TaskEvent.started(map, "vanishing-map"));
        awaitNotice(jobId, () -> attemptStatus(jobId, TaskType.MAP, 0, 1).equals("RUNNING"));
        // its heartbeat no longer lists the attempt: it restarted, the attempt is lost and runs again
        jdbc.update("UPDATE task_attempts SET started_at = now() - interval '1 minute' WHERE job_id = ?", jobId);
        events.send(TaskEvent.heartbeat("vanishing-map", TaskType.MAP, List.of()));
        awaitNotice(jobId, () -> attemptStatus(jobId, TaskType.MAP, 0, 1).equals("KILLED"));
        awaitAttempt(jobId, TaskType.MAP, 0, 2);
    }
}
