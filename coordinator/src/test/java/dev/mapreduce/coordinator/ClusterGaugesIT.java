package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.coordinator.monitor.ClusterGauges.ClusterState;
import dev.mapreduce.coordinator.monitor.ClusterGauges.WorkerLag;
import dev.mapreduce.coordinator.monitor.RefreshClusterGauges;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The gauges read what PostgreSQL records; other tests' rows share the database, so counts are compared as deltas. */
class ClusterGaugesIT extends CoordinatorTestBase {

    private final UUID jobId = UUID.randomUUID();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RefreshClusterGauges refresh;

    @Autowired
    RestTestClient client;

    @AfterEach
    void deleteRows() {
        jdbc.update("DELETE FROM jobs WHERE job_id = ?", jobId);
        jdbc.update("DELETE FROM workers WHERE worker_id LIKE 'gauges-it-%'");
    }

    @Test
    void countsRunningJobsQueuedAndRunningAttemptsAndEachRecentWorkersLag() {
        ClusterState before = refresh.read();

        insertRunningJobWithAQueuedMapAndARunningReduce();
        insertWorker("gauges-it-alive", "MAP", "ALIVE", "3 seconds");
        insertWorker("gauges-it-dead-recently", "REDUCE", "DEAD", "1 minute");
        insertWorker("gauges-it-dead-long-ago", "REDUCE", "DEAD", "11 minutes");
        ClusterState after = refresh.read();

        assertThat(after.runningJobs() - before.runningJobs()).isEqualTo(1);
        assertThat(count(after.waitingTasks(), TaskType.MAP) - count(before.waitingTasks(), TaskType.MAP))
                .isEqualTo(1);
        assertThat(count(after.runningTasks(), TaskType.REDUCE) - count(before.runningTasks(), TaskType.REDUCE))
                .isEqualTo(1);
        Map<String, WorkerLag> workers =
                after.workers().stream().collect(Collectors.toMap(WorkerLag::workerId, Function.identity()));
        assertThat(workers).containsKeys("gauges-it-alive", "gauges-it-dead-recently");
        assertThat(workers).doesNotContainKey("gauges-it-dead-long-ago");
        assertThat(workers.get("gauges-it-alive").alive()).isTrue();
        assertThat(workers.get("gauges-it-alive").lagSeconds()).isBetween(2.5, 60.0);
        assertThat(workers.get("gauges-it-dead-recently").alive()).isFalse();
        assertThat(workers.get("gauges-it-dead-recently").type()).isEqualTo(TaskType.REDUCE);
    }

    @Test
    void theScrapeShowsEachWorkersLagOnceRefreshed() {
        insertWorker("gauges-it-alive", "MAP", "ALIVE", "1 second");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape())
                .containsPattern("(?m)^mapreduce_worker_heartbeat_lag_seconds\\{[^}]*worker=\"gauges-it-alive\"[^}]*}"
                        + " [0-9.]+$")
                .containsPattern("(?m)^mapreduce_jobs_running\\{application=\"coordinator\"} [0-9.]+$")
                .containsPattern(
                        "(?m)^mapreduce_tasks_waiting\\{application=\"coordinator\",type=\"reduce\"} [0-9.]+$"));
    }

    private String scrape() {
        return client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();
    }

    private void insertRunningJobWithAQueuedMapAndARunningReduce() {
        jdbc.update(
                "INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers, map_function,"
                        + " reduce_function) VALUES (?, 'gauges', 'REDUCE_RUNNING', 't', 1, 1, 'WORD_COUNT', 'SUM')",
                jobId);
        for (String type : new String[] {"MAP", "REDUCE"}) {
            jdbc.update(
                    "INSERT INTO tasks (job_id, task_type, task_index, status) VALUES (?, ?, 0, 'RUNNING')",
                    jobId,
                    type);
            // dispatched, so the leader's monitor does not send it again
            jdbc.update(
                    "INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status, dispatched_at)"
                            + " VALUES (?, ?, 0, 1, ?, now())",
                    jobId,
                    type,
                    type.equals("MAP") ? "QUEUED" : "RUNNING");
        }
    }

    private void insertWorker(String id, String type, String status, String silentFor) {
        jdbc.update(
                "INSERT INTO workers (worker_id, worker_type, status, last_heartbeat)"
                        + " VALUES (?, ?, ?, now() - ?::interval)",
                id,
                type,
                status,
                silentFor);
    }

    private static long count(Map<TaskType, Long> counts, TaskType type) {
        return counts.getOrDefault(type, 0L);
    }
}
