package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mapreduce.coordinator.dispatch.DispatchStore;
import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dispatch pass against PostgreSQL: the per-job and total limits, who gets the free slots, and
 * which waiting tasks are not dispatched yet (a retry in its backoff, a reduce whose maps are not done).
 */
class DispatcherIT {

    static final int JOB_LIMIT = 3;
    static final int MAX_IN_FLIGHT = 5;

    static HikariDataSource ds;
    static JdbcTemplate jdbc;
    static TransactionTemplate tx;
    static JobStore store;
    static TaskStore tasks;
    static AttemptStore attempts;
    static Dispatcher dispatcher;

    @BeforeAll
    static void database() {
        ds = HandBuiltScheduler.database("dispatcher", 2);
        jdbc = new JdbcTemplate(ds);
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        store = new JobStore(jdbc);
        tasks = new TaskStore(jdbc);
        attempts = new AttemptStore(jdbc);
        Outbox unused = new Outbox() {
            @Override
            public CompletableFuture<Void> send(List<TaskMessage> tasks) {
                throw new AssertionError("the dispatch pass sends nothing itself");
            }

            @Override
            public void sendControls(List<ControlMessage> controls) {
                throw new AssertionError("the dispatch pass sends nothing itself");
            }
        };
        dispatcher = new Dispatcher(
                new DispatchStore(jdbc),
                store,
                tasks,
                attempts,
                unused,
                new SchedulerSettings(
                        Duration.ofSeconds(5),
                        4,
                        Duration.ofSeconds(1),
                        new SchedulerSettings.Speculation(false, 0.75, 1.5, Duration.ofSeconds(1)),
                        Duration.ofMillis(250),
                        50,
                        new SchedulerSettings.Dispatch(JOB_LIMIT, MAX_IN_FLIGHT, 2),
                        Duration.ofMinutes(10)));
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    /** A running job with {@code maps} map tasks waiting, created {@code ageSeconds} ago. */
    static UUID job(String name, int maps, int ageSeconds) {
        UUID jobId = UUID.randomUUID();
        List<MapInput> splits = new ArrayList<>();
        for (int i = 0; i < maps; i++) {
            splits.add(MapInput.ofRanges(List.of(new OffsetRange(0, i, i + 1))));
        }
        tx.executeWithoutResult(s -> {
            store.insertJob(
                    jobId,
                    new JobRequest(name, "t", null, null, null, maps, 1, "WORD_COUNT", "SUM", Map.of(), true),
                    maps,
                    null);
            tasks.insertMapTasks(jobId, splits);
            jdbc.update(
                    "UPDATE jobs SET created_at = now() - make_interval(secs => ?) WHERE job_id = ?",
                    ageSeconds,
                    jobId);
        });
        return jobId;
    }

    /** One dispatch pass, as a change ends with it; returns the messages it would send. */
    static List<TaskMessage> pass() {
        return change(s -> {});
    }

    static List<TaskMessage> change(Consumer<Effects> change) {
        Effects fx = new Effects();
        tx.executeWithoutResult(s -> {
            store.lockScheduling();
            change.accept(fx);
            fx.wakeAll();
            dispatcher.dispatchWaiting(fx);
        });
        return fx.dispatch;
    }

    static long of(List<TaskMessage> sent, UUID jobId) {
        return sent.stream().filter(t -> t.jobId().equals(jobId)).count();
    }

    static void finish(TaskMessage t) {
        attempts.endAttempt(AttemptRef.of(t), AttemptStatus.SUCCEEDED, null);
        jdbc.update(
                "UPDATE tasks SET status = 'COMPLETED', committed_attempt = ? WHERE job_id = ? AND task_type = ?"
                        + " AND task_index = ?",
                t.attempt(),
                t.jobId(),
                t.type().name(),
                t.taskIndex());
    }

    @Test
    void slotsGoToTheJobsWithFewestInFlightWithinBothLimits() {
        jdbc.update("UPDATE tasks SET status = 'CANCELLED', ready_at = NULL"); // other tests' leftovers
        UUID old = job("old", 10, 60);
        UUID young = job("young", 10, 30);

        List<TaskMessage> first = pass();
        // 5 slots in all: 3 and 2, the older job first on a tie
        assertThat(of(first, old)).isEqualTo(3);
        assertThat(of(first, young)).isEqualTo(2);
        assertThat(first).allSatisfy(t -> assertThat(t.attempt()).isEqualTo(1));
        assertThat(first.stream().filter(t -> t.jobId().equals(old)))
                .extracting(TaskMessage::taskIndex)
                .containsExactly(0, 1, 2);
        assertThat(status(old)).isEqualTo("RUNNING");
        assertThat(pass()).isEmpty();

        // a job submitted now gets the next free slot, before the older jobs' backlogs
        UUID fresh = job("fresh", 2, 0);
        TaskMessage oldDone =
                first.stream().filter(t -> t.jobId().equals(old)).findFirst().orElseThrow();
        List<TaskMessage> second = change(fx -> finish(oldDone));
        assertThat(second).singleElement().satisfies(t -> assertThat(t.jobId()).isEqualTo(fresh));

        // the job with fewest in flight goes first, however young
        List<TaskMessage> third = change(fx -> finish(second.get(0)));
        assertThat(third).singleElement().satisfies(t -> {
            assertThat(t.jobId()).isEqualTo(fresh);
            assertThat(t.taskIndex()).isEqualTo(1);
        });
        assertThat(inFlight()).isEqualTo(MAX_IN_FLIGHT);
    }

    @Test
    void aRetryWaitsForItsTimeAndAReduceForItsMapTasks() {
        jdbc.update("UPDATE tasks SET status = 'CANCELLED', ready_at = NULL");
        jdbc.update("UPDATE task_attempts SET status = 'KILLED' WHERE status IN ('QUEUED', 'RUNNING')");
        UUID job = job("retrying", 2, 10);
        List<TaskMessage> maps = pass();
        assertThat(maps).hasSize(2);
        List<TaskMessage> none = change(fx -> {
            attempts.endAttempt(AttemptRef.of(maps.get(0)), AttemptStatus.FAILED, "boom");
            tasks.taskPending(job, TaskType.MAP, 0, Instant.now().plusSeconds(60));
            finish(maps.get(1));
            tasks.insertReduceTasks(job, 1);
        });
        assertThat(none)
                .as("the retry is not due, and the reduce waits for map 0")
                .isEmpty();

        jdbc.update(
                "UPDATE tasks SET ready_at = now() - interval '1 second' WHERE job_id = ? AND task_index = 0"
                        + " AND task_type = 'MAP'",
                job);
        List<TaskMessage> retry = pass();
        assertThat(retry).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo(TaskType.MAP);
            assertThat(t.attempt()).isEqualTo(2);
        });

        List<TaskMessage> reduce = change(fx -> finish(retry.get(0)));
        assertThat(reduce).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo(TaskType.REDUCE);
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.mapRuns())
                    .extracting(r -> r.mapTask() + "#" + r.attempt())
                    .containsExactly("0#2", "1#1");
        });
    }

    static String status(UUID jobId) {
        return jdbc.queryForObject("SELECT status FROM jobs WHERE job_id = ?", String.class, jobId);
    }

    static int inFlight() {
        return jdbc.queryForObject(
                "SELECT count(*) FROM task_attempts WHERE status IN ('QUEUED', 'RUNNING')", Integer.class);
    }
}
