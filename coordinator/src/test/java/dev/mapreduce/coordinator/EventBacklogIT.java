package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.event.TaskEventListener;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.KafkaSetup;
import dev.mapreduce.runtime.testing.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Liveness is judged by the heartbeats the leader could have seen: while its event consumer is held
 * up (here every transaction applying events fails on a lock timeout, and is retried), a worker that keeps sending heartbeats is not declared dead and its attempt is not killed, however
 * long the backlog lasts; a worker that really stops is still declared dead once the consumer has
 * caught up, also while the other workers' heartbeats reach the log in bursts.
 */
class EventBacklogIT {

    static final Duration WORKER_TIMEOUT = Duration.ofSeconds(2);
    static final String WORKER =
            "backlog-worker-" + UUID.randomUUID().toString().substring(0, 8);

    static SchedulerRig rig;
    static JdbcTemplate jdbc;
    static Scheduler scheduler;
    static Admin admin;
    static TaskEventListener listener;
    static String kafka;
    static KafkaMessages worker;
    static ScheduledExecutorService timers;

    @BeforeAll
    static void coordinator() {
        // the test plays the worker: task messages and controls go nowhere
        Outbox nowhere = new Outbox() {
            @Override
            public CompletableFuture<Void> send(List<TaskMessage> tasks) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void sendControls(List<ControlMessage> controls) {}
        };
        CoordinatorMetrics metrics = new CoordinatorMetrics(new SimpleMeterRegistry());
        rig = SchedulerRig.create("event_backlog", 6, SchedulerRig.settings(WORKER_TIMEOUT, 10, 100), nowhere, metrics);
        jdbc = rig.jdbc();
        scheduler = rig.scheduler();
        kafka = TestKafka.bootstrapServers();
        admin = KafkaSetup.admin(kafka, Duration.ofSeconds(30));
        KafkaSetup.ensureTopicsAndGroups(admin, Duration.ofSeconds(30));
        listener = new TaskEventListener(
                scheduler,
                rig.eventOffsets(),
                new CoordinatorProperties(new CoordinatorProperties.Kafka(kafka, Duration.ofSeconds(30)), null),
                admin,
                KafkaClientConfig.of(kafka),
                metrics);
        listener.start("event-backlog-it");
        worker = new KafkaMessages(kafka, WORKER, Duration.ofSeconds(10));
        timers = Executors.newScheduledThreadPool(2);
        // the leader's monitor duties, as LeaderElection runs them
        rig.monitorEvery(Duration.ofMillis(250), timers);
    }

    @AfterAll
    static void close() {
        timers.shutdownNow();
        listener.stop();
        worker.close();
        admin.close();
        rig.close();
    }

    String workerStatus() {
        return workerStatus(WORKER);
    }

    String workerStatus(String workerId) {
        return jdbc.queryForList("SELECT status FROM workers WHERE worker_id = ?", String.class, workerId).stream()
                .findFirst()
                .orElse("UNKNOWN");
    }

    String attemptStatus(TaskMessage m) {
        return jdbc.queryForObject(
                "SELECT status FROM task_attempts WHERE job_id = ? AND task_type = 'MAP' AND task_index = 0"
                        + " AND attempt = ?",
                String.class,
                m.jobId(),
                m.attempt());
    }

    @Test
    void aWorkerThatKeepsSendingHeartbeatsIsNotDeclaredDeadWhileTheEventsWait() throws Exception {
        TaskMessage task = scheduler
                .startJob(
                        UUID.randomUUID(),
                        new JobRequest("backlog", "t", null, null, null, 1, 1, "WORD_COUNT", "SUM", Map.of(), true),
                        List.of(MapInput.ofRanges(List.of(new OffsetRange(0, 0, 1)))),
                        1,
                        null)
                .get(0);
        AttemptRef running = new AttemptRef(task.jobId(), TaskType.MAP, task.taskIndex(), task.attempt());
        worker.send(TaskEvent.started(task, WORKER));
        var heartbeats = timers.scheduleAtFixedRate(
                () -> worker.send(TaskEvent.heartbeat(WORKER, TaskType.MAP, List.of(running))),
                0,
                200,
                TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "RUNNING".equals(attemptStatus(task)) && "ALIVE".equals(workerStatus()));
        jdbc.execute("CREATE TABLE stall (on_ boolean)");
        jdbc.execute(
                """
                CREATE FUNCTION stall_events() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM stall) THEN
                        RAISE EXCEPTION 'canceling statement due to lock timeout' USING ERRCODE = 'lock_not_available';
                    END IF;
                    RETURN NEW;
                END $$""");
        jdbc.execute(
                "CREATE TRIGGER stall_events BEFORE UPDATE ON event_offsets FOR EACH ROW EXECUTE FUNCTION stall_events()");

        // every transaction that applies events fails on a lock timeout (something holds a lock it
        // needs): no event is applied for 3 worker timeouts, while the monitors go on
        jdbc.execute("INSERT INTO stall VALUES (true)");
        try {
            await().during(WORKER_TIMEOUT.multipliedBy(3))
                    .atMost(WORKER_TIMEOUT.multipliedBy(5))
                    .until(() -> "ALIVE".equals(workerStatus()));
        } finally {
            jdbc.execute("DELETE FROM stall");
        }
        // the backlog is applied; the worker's attempt was never given up
        await().during(WORKER_TIMEOUT.multipliedBy(2))
                .atMost(WORKER_TIMEOUT.multipliedBy(4))
                .until(() -> "ALIVE".equals(workerStatus()) && "RUNNING".equals(attemptStatus(task)));

        // a worker that really stops is still declared dead, and its attempt lost
        heartbeats.cancel(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> "DEAD".equals(workerStatus()));
        await().atMost(Duration.ofSeconds(10)).until(() -> "KILLED".equals(attemptStatus(task)));
        assertThat(jdbc.queryForObject(
                        "SELECT error FROM task_attempts WHERE job_id = ? AND attempt = ?",
                        String.class,
                        task.jobId(),
                        task.attempt()))
                .contains("lost");
    }

    @Test
    void aWorkerThatStopsIsDeclaredDeadWhileTheOthersHeartbeatsComeInBursts() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String stopped = "stopped-worker-" + suffix;
        // workers started together send their heartbeats a few milliseconds apart, once a second: the
        // listener then always has the first of a burst applied and the next one still to read
        try (KafkaMessages first = new KafkaMessages(kafka, "burst-a-" + suffix, Duration.ofSeconds(10));
                KafkaMessages second = new KafkaMessages(kafka, "burst-b-" + suffix, Duration.ofSeconds(10));
                KafkaMessages third = new KafkaMessages(kafka, "burst-c-" + suffix, Duration.ofSeconds(10))) {
            worker.send(TaskEvent.heartbeat(stopped, TaskType.MAP, List.of()));
            await().atMost(Duration.ofSeconds(30)).until(() -> "ALIVE".equals(workerStatus(stopped)));
            var bursts = timers.scheduleAtFixedRate(
                    () -> {
                        first.send(TaskEvent.heartbeat("burst-a-" + suffix, TaskType.MAP, List.of()));
                        second.send(TaskEvent.heartbeat("burst-b-" + suffix, TaskType.REDUCE, List.of()));
                        third.send(TaskEvent.heartbeat("burst-c-" + suffix, TaskType.REDUCE, List.of()));
                    },
                    0,
                    1000,
                    TimeUnit.MILLISECONDS);
            try {
                await().atMost(WORKER_TIMEOUT.multipliedBy(8)).until(() -> "DEAD".equals(workerStatus(stopped)));
                assertThat(workerStatus("burst-a-" + suffix)).isEqualTo("ALIVE");
            } finally {
                bursts.cancel(false);
            }
        }
    }
}
