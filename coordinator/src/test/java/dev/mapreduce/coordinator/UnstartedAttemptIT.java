package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A task message that no worker ever acts on (archived after the share group's delivery limit, or
 * lost with the broker's data): the attempt is given up after the start timeout and its task runs
 * again, so the job completes instead of hanging.
 */
class UnstartedAttemptIT extends ScriptedWorkersTestBase {

    /**
     * Moves an attempt's dispatch back past the start timeout (default 10 minutes), as if its
     * message had been waiting that long: the shared test coordinator keeps its defaults.
     */
    void dispatchedLongAgo(UUID jobId, int attempt) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.update(
                                "UPDATE task_attempts SET dispatched_at = now() - interval '11 minutes'"
                                        + " WHERE job_id = ? AND task_type = 'MAP' AND task_index = 0 AND attempt = ?"
                                        + " AND dispatched_at IS NOT NULL",
                                jobId,
                                attempt)
                        == 1);
    }

    @Test
    void anAttemptWhoseMessageIsLostIsDispatchedAgainAndTheJobCompletes() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);
        UUID jobId = submit(
                "{\"jobName\":\"lost-message\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1,\"numReducers\":1}");
        // the scripted worker takes the first message and drops it: it never reports
        awaitAttempt(jobId, TaskType.MAP, 0, 1);
        dispatchedLongAgo(jobId, 1);

        TaskMessage second = awaitAttempt(jobId, TaskType.MAP, 0, 2);
        events.send(TaskEvent.started(second, "scripted-map"));
        events.send(TaskEvent.succeeded(second, "scripted-map", JobLifecycleIT.mapCounters(2)));
        TaskMessage reduce = awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        jdbc.update(
                "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows) VALUES (?, ?, ?, ?, ?)",
                jobId,
                0,
                reduce.attempt(),
                "scripted-reduce",
                0);
        events.send(TaskEvent.started(reduce, "scripted-reduce"));
        events.send(TaskEvent.succeeded(reduce, "scripted-reduce", AttemptCounters.NONE));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("COMPLETED"));
        assertThat(jdbc.queryForObject(
                        "SELECT status || ': ' || error FROM task_attempts"
                                + " WHERE job_id = ? AND task_type = 'MAP' AND attempt = 1",
                        String.class,
                        jobId))
                .isEqualTo("KILLED: not started within 600000 ms of its dispatch: its task message was lost");
    }

    @Test
    void aStartedAttemptIsNeverTimedOut() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);
        UUID jobId = submit("{\"jobName\":\"slow-start\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1}");
        TaskMessage first = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        events.send(TaskEvent.started(first, "scripted-map"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING"
                .equals(jdbc.queryForObject(
                        "SELECT status FROM task_attempts WHERE job_id = ? AND task_type = 'MAP' AND attempt = 1",
                        String.class,
                        jobId)));
        dispatchedLongAgo(jobId, 1);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> "RUNNING"
                .equals(jdbc.queryForObject(
                        "SELECT status FROM task_attempts WHERE job_id = ? AND task_type = 'MAP' AND attempt = 1",
                        String.class,
                        jobId)));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM task_attempts WHERE job_id = ? AND task_type = 'MAP'",
                        Integer.class,
                        jobId))
                .isEqualTo(1);
    }
}
