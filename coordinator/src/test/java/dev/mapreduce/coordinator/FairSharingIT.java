package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Dispatch limits and fair sharing with scripted workers: a big job has at most {@link #JOB_LIMIT}
 * map attempts in flight, the rest of its tasks wait in PostgreSQL, and a small job submitted
 * meanwhile runs to the end while the big one is still far from done.
 */
class FairSharingIT extends ScriptedWorkersTestBase {

    static final int BIG_MAPS = 40;

    List<TaskMessage> takenOf(UUID jobId) {
        return taken.stream().filter(t -> t.jobId().equals(jobId)).toList();
    }

    int attemptsOf(UUID jobId) {
        return jdbc.queryForObject("SELECT count(*) FROM task_attempts WHERE job_id = ?", Integer.class, jobId);
    }

    int waitingOf(UUID jobId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM tasks t JOIN jobs j USING (job_id) WHERE t.job_id = ? AND t.task_type = 'MAP'"
                        + " AND t.status = 'PENDING' AND t.task_index >= j.next_map_task",
                Integer.class,
                jobId);
    }

    @Test
    void aSmallJobCompletesWhileABigJobsBacklogWaitsForSlots() throws Exception {
        UUID big = submit("{\"jobName\":\"big\",\"inputTopic\":\"" + JobLifecycleIT.topicWith(1, 400)
                + "\",\"numMappers\":" + BIG_MAPS + ",\"numReducers\":2}");
        await().atMost(Duration.ofSeconds(30)).until(() -> takenOf(big).size() == JOB_LIMIT);
        // the rest of the big job waits in PostgreSQL, not in Kafka
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> takenOf(big).size() == JOB_LIMIT && attemptsOf(big) == JOB_LIMIT);
        assertThat(waitingOf(big)).isEqualTo(BIG_MAPS - JOB_LIMIT);
        assertThat(status(big)).isEqualTo("RUNNING");

        UUID small = submit("{\"jobName\":\"small\",\"inputTopic\":\"" + JobLifecycleIT.topicWith(1, 5)
                + "\",\"numMappers\":1,\"numReducers\":1}");
        TaskMessage map = awaitAttempt(small, TaskType.MAP, 0, 1);
        events.send(TaskEvent.started(map, "scripted-map"));
        events.send(TaskEvent.succeeded(map, "scripted-map", JobLifecycleIT.mapCounters(5)));
        TaskMessage reduce = awaitAttempt(small, TaskType.REDUCE, 0, 1);
        jdbc.update(
                "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows) VALUES (?, 0, 1, ?, 3)",
                small,
                "scripted-reduce");
        events.send(TaskEvent.succeeded(reduce, "scripted-reduce", new AttemptCounters(0, 0, 0, 0, 0, 5, 3)));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(small).equals("COMPLETED"));

        // meanwhile the big job has not moved: nothing of it finished, nothing more was sent
        assertThat(takenOf(big)).hasSize(JOB_LIMIT);
        assertThat(waitingOf(big)).isEqualTo(BIG_MAPS - JOB_LIMIT);

        // each big map that ends frees a slot for the next one, and never more than the limit is in flight
        List<TaskMessage> first = takenOf(big);
        for (int i = 0; i < 2; i++) {
            events.send(TaskEvent.started(first.get(i), "scripted-map"));
            events.send(TaskEvent.succeeded(first.get(i), "scripted-map", JobLifecycleIT.mapCounters(10)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> takenOf(big).size() == JOB_LIMIT + 2);
        assertThat(takenOf(big)).extracting(TaskMessage::taskIndex).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM task_attempts WHERE job_id = ? AND status IN ('QUEUED', 'RUNNING')",
                        Integer.class,
                        big))
                .isEqualTo(JOB_LIMIT);
        assertThat(waitingOf(big)).isEqualTo(BIG_MAPS - JOB_LIMIT - 2);

        // a cancelled job's waiting tasks never run, and its slots go to others
        client.post()
                .uri("/internal/jobs/" + big + "/cancel")
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(waitingOf(big)).isZero();
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> takenOf(big).size() == JOB_LIMIT + 2);
    }

    @Test
    void aRetryWaitsForItsBackoffAndThenForASlotLikeAnyTask() throws Exception {
        UUID job = submit("{\"jobName\":\"retry-in-line\",\"inputTopic\":\"" + JobLifecycleIT.topicWith(1, 60)
                + "\",\"numMappers\":6,\"numReducers\":1}");
        await().atMost(Duration.ofSeconds(30)).until(() -> takenOf(job).size() == JOB_LIMIT);
        TaskMessage failing = takenOf(job).get(0);
        events.send(TaskEvent.started(failing, "scripted-map"));
        events.send(TaskEvent.failed(failing, "scripted-map", "IOException: once"));
        // the failed attempt's slot goes to the next task in line at once; the retry waits for its backoff,
        // then for a slot, behind the tasks that were waiting before it
        await().atMost(Duration.ofSeconds(20)).until(() -> takenOf(job).size() == JOB_LIMIT + 1);
        assertThat(takenOf(job).get(JOB_LIMIT).taskIndex()).isEqualTo(JOB_LIMIT);
        for (TaskMessage m : takenOf(job).subList(1, JOB_LIMIT + 1)) {
            events.send(TaskEvent.succeeded(m, "scripted-map", JobLifecycleIT.mapCounters(10)));
        }
        TaskMessage retry = awaitAttempt(job, TaskType.MAP, failing.taskIndex(), 2);
        assertThat(retry.avoidWorkers()).containsExactly("scripted-map");
        awaitAttempt(job, TaskType.MAP, 5, 1);
        client.post()
                .uri("/internal/jobs/" + job + "/cancel")
                .exchange()
                .expectStatus()
                .isOk();
    }
}
