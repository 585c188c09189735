package dev.mapreduce.reduceworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskFailure;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The running reduce worker heartbeats, obeys cancellations, never commits for a job that ended,
 * reports lost runs as fetch failures, and injects the faults it is told to.
 */
class ReduceFaultToleranceIT extends RunningReduceWorker {

    /** Longer than any test waits: a stalled attempt ends only by being cancelled. */
    private static final TestFaults STALL = new TestFaults(true, 0, false, 0, false, 600_000, null, null);

    private static final List<MapRunRef> MAPS = List.of(new MapRunRef(0, 1), new MapRunRef(1, 1));

    @Autowired
    ReduceTaskHandler handler;

    @Autowired
    DataSource dataSource;

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;
    private final List<UUID> jobs = new ArrayList<>();

    @BeforeEach
    void connect() {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
    }

    @AfterEach
    void disconnect() {
        handler.injectFaults(TestFaults.NONE);
        jobs.forEach(job -> coordinator.send(ControlMessage.cancelJob(job))); // frees the worker if a test failed
        jobs.forEach(shuffle::deleteJob);
        events.close();
        coordinator.close();
        shuffle.close();
    }

    @Test
    void heartbeatsListTheAttemptTheWorkerIsRunning() {
        handler.injectFaults(STALL);
        TaskMessage task = reduceTask(jobWithRuns(), 1);

        coordinator.send(task);

        events.awaitEvent(task.jobId(), 0, 1, Kind.STARTED);
        TaskEvent heartbeat = events.awaitHeartbeat(WORKER_ID, AttemptRef.of(task));
        assertThat(heartbeat.type()).isEqualTo(TaskType.REDUCE);
        assertThat(heartbeat.running()).containsExactly(AttemptRef.of(task));

        coordinator.send(ControlMessage.cancelAttempt(AttemptRef.of(task)));

        events.awaitEvent(task.jobId(), 0, 1, Kind.ABORTED);
    }

    @Test
    void cancellingItsJobStopsAStalledAttemptWhichCommitsNothing() {
        handler.injectFaults(STALL);
        UUID jobId = jobWithRuns();

        coordinator.send(reduceTask(jobId, 1));
        events.awaitEvent(jobId, 0, 1, Kind.STARTED);
        coordinator.send(ControlMessage.cancelJob(jobId));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.ABORTED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.ABORTED);
        assertThat(reported.get(1).error()).isEqualTo("job " + jobId + " was cancelled");
        assertThat(rowsOf(jobId)).isZero();
    }

    @Test
    void anAttemptOfACancelledJobCommitsNothing() {
        UUID jobId = jobWithRuns();
        setJobStatus(jobId, "CANCELLED");

        coordinator.send(reduceTask(jobId, 1));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.ABORTED);
        assertThat(reported.get(reported.size() - 1).error()).isEqualTo("job is CANCELLED");
        assertThat(rowsOf(jobId)).isZero();
    }

    @Test
    void aJobCancelledWhileTheAttemptCommitsGetsNoRows() throws Exception {
        UUID jobId = jobWithRuns();
        try (Connection cancel = dataSource.getConnection()) {
            // the coordinator cancels under this lock: the commit must wait for it, then see the job ended
            cancel.setAutoCommit(false);
            try (PreparedStatement lock = cancel.prepareStatement("SELECT 1 FROM jobs WHERE job_id = ? FOR UPDATE")) {
                lock.setObject(1, jobId);
                lock.executeQuery().close();
            }

            coordinator.send(reduceTask(jobId, 1));

            await().atMost(TaskEvents.TIMEOUT).until(this::workerWaitsForALock);
            try (PreparedStatement update =
                    cancel.prepareStatement("UPDATE jobs SET status = 'CANCELLED' WHERE job_id = ?")) {
                update.setObject(1, jobId);
                update.executeUpdate();
            }
            cancel.commit();
        }

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.ABORTED);
        assertThat(reported.get(reported.size() - 1).error()).isEqualTo("job is CANCELLED");
        assertThat(rowsOf(jobId)).isZero();
    }

    @Test
    void aStalledAttemptHoldsUpNoOtherAttemptOfItsPartition() throws Exception {
        UUID jobId = jobWithRuns();
        CountDownLatch staged = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        // attempt 1 copied its rows and stalls before claiming the partition, its transaction open
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> {
            try {
                return new ResultCommitter(dataSource)
                        .commit(
                                reduceTask(jobId, 1),
                                "stalled-worker",
                                ReduceFunction.SUM,
                                shuffle.fetchRuns(jobId, 0, MAPS).stream()
                                        .map(RunReader::new)
                                        .toList(),
                                new Cancellation(),
                                () -> {
                                    staged.countDown();
                                    await().atMost(TaskEvents.TIMEOUT).until(() -> resume.getCount() == 0);
                                });
            } catch (Exception e) {
                return e;
            }
        });
        await().atMost(TaskEvents.TIMEOUT).until(() -> staged.getCount() == 0);

        coordinator.send(reduceTask(jobId, 2));

        events.awaitEvent(jobId, 0, 2, Kind.SUCCEEDED);
        resume.countDown();
        assertThat(first.get())
                .isInstanceOf(TaskFailure.Superseded.class)
                .extracting(o -> ((Exception) o).getMessage())
                .isEqualTo("superseded: partition 0 of job " + jobId + " was already committed");
        assertThat(results(jobId)).isEqualTo(Map.of("a", 3L, "b", 2L, "c", 4L));
        assertThat(jdbc.sql("SELECT attempt FROM reduce_commits WHERE job_id = ?")
                        .param(jobId)
                        .query(Integer.class)
                        .list())
                .containsExactly(2);
    }

    @Test
    void anAttemptRunAgainAfterItsCommitsAnswerWasLostFindsItsOwnCommitAndAddsNoRows() throws Exception {
        UUID jobId = jobWithRuns();
        ResultCommitter committer = new ResultCommitter(dataSource);

        // the first run commits, but (as if PostgreSQL went away before answering) the attempt runs again
        for (int run = 0; run < 2; run++) {
            assertThat(committer
                            .commit(
                                    reduceTask(jobId, 1),
                                    WORKER_ID,
                                    ReduceFunction.SUM,
                                    shuffle.fetchRuns(jobId, 0, MAPS).stream()
                                            .map(RunReader::new)
                                            .toList(),
                                    new Cancellation(),
                                    () -> {})
                            .outputRecords())
                    .isEqualTo(3);
        }

        assertThat(results(jobId)).isEqualTo(Map.of("a", 3L, "b", 2L, "c", 4L));
        assertThat(rowsOf(jobId)).isEqualTo(3 + 1);
    }

    @Test
    void anAttemptCommitsAsTheReduceWorkersOwnRoleWhichMayNotChangeJobsOrTheSchema() throws Exception {
        UUID jobId = jobWithRuns();
        // the role the migrations create for reduce workers (no password: the local PostgreSQL trusts it)
        DataSource ownRole = new DriverManagerDataSource(database(), "mapreduce_reduce_worker", "");

        assertThat(new ResultCommitter(ownRole)
                        .commit(
                                reduceTask(jobId, 1),
                                WORKER_ID,
                                ReduceFunction.SUM,
                                shuffle.fetchRuns(jobId, 0, MAPS).stream()
                                        .map(RunReader::new)
                                        .toList(),
                                new Cancellation(),
                                () -> {})
                        .outputRecords())
                .isEqualTo(3);
        assertThat(results(jobId)).isEqualTo(Map.of("a", 3L, "b", 2L, "c", 4L));

        JdbcClient asWorker = JdbcClient.create(ownRole);
        for (String statement : List.of(
                "UPDATE jobs SET status = 'COMPLETED'",
                "UPDATE tasks SET status = 'COMPLETED'",
                "DELETE FROM results",
                "DROP TABLE results",
                "ALTER TABLE results ADD COLUMN forged text",
                "CREATE TABLE forged (x int)")) {
            // 42501 insufficient_privilege: "permission denied for table ..." or "must be owner of table ..."
            assertThatThrownBy(() -> asWorker.sql(statement).update())
                    .as(statement)
                    .rootCause()
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState())
                            .isEqualTo("42501"));
        }
    }

    @Test
    void withTheFirstAttemptsFailingAttemptOneFailsAndAttemptTwoCommits() {
        handler.injectFaults(new TestFaults(true, 1, false, 0, false, 0, null, null));
        UUID jobId = jobWithRuns();

        coordinator.send(reduceTask(jobId, 1));

        List<TaskEvent> first = events.awaitEvent(jobId, 0, 1, Kind.FAILED);
        assertThat(first.get(first.size() - 1).error())
                .isEqualTo("InjectedFaultException: injected failure of attempt " + jobId + "/reduce-0#1");
        assertThat(rowsOf(jobId)).isZero();

        coordinator.send(reduceTask(jobId, 2));

        events.awaitEvent(jobId, 0, 2, Kind.SUCCEEDED);
        assertThat(results(jobId)).isEqualTo(Map.of("a", 3L, "b", 2L, "c", 4L));
    }

    /** A running job whose two map tasks stored their runs of partition 0: a=1+2, b=2, c=4. */
    private UUID jobWithRuns() {
        UUID jobId = insertJob(UUID.randomUUID());
        jobs.add(jobId);
        writeRun(jobId, MAPS.get(0), Map.of("a", 1L, "b", 2L));
        writeRun(jobId, MAPS.get(1), Map.of("a", 2L, "c", 4L));
        return jobId;
    }

    private void writeRun(UUID jobId, MapRunRef map, Map<String, Long> entries) {
        RunWriter writer = new RunWriter(false);
        new TreeMap<>(entries).forEach((key, value) -> {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            writer.add(bytes, 0, bytes.length, value, 0);
        });
        shuffle.writeRuns(jobId, map.mapTask(), map.attempt(), new byte[][] {writer.finish()}, Duration.ofMinutes(10));
    }

    private static TaskMessage reduceTask(UUID jobId, int attempt) {
        return new TaskMessage(
                jobId,
                TaskType.REDUCE,
                0,
                attempt,
                "WORD_COUNT",
                "SUM",
                Map.of(),
                true,
                1,
                null,
                List.of(),
                MAPS,
                null);
    }

    private boolean workerWaitsForALock() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'")
                        .param(WORKER_ID)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private long rowsOf(UUID jobId) {
        return jdbc.sql("SELECT (SELECT count(*) FROM results WHERE job_id = :job)"
                        + " + (SELECT count(*) FROM reduce_commits WHERE job_id = :job)")
                .param("job", jobId)
                .query(Long.class)
                .single();
    }

    private Map<String, Long> results(UUID jobId) {
        Map<String, Long> rows = new TreeMap<>();
        jdbc.sql("SELECT result_key, result_value FROM results WHERE job_id = ?")
                .param(jobId)
                .query((rs, n) -> rows.put(rs.getString(1), rs.getLong(2)))
                .list();
        return rows;
    }
}
