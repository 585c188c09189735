package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.event.EventApplier;
import dev.mapreduce.coordinator.event.EventOffsetStore;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Exactly-once application of the task event log against PostgreSQL: a poll's events in one
 * transaction with the position after them, events before the stored position skipped, and a
 * transaction that fails applied again one event at a time, losing and repeating nothing.
 */
class EventApplierIT {

    static final String TOPIC = "events";

    static SchedulerRig rig;
    static JdbcTemplate jdbc;
    static EventOffsetStore eventOffsets;
    static Scheduler scheduler;
    static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    static final CoordinatorMetrics metrics = new CoordinatorMetrics(registry);
    static final AtomicLong offsets = new AtomicLong();
    /** Jobs whose map phase a test ends, and the reduce tasks that sent. */
    static final Set<UUID> mapPhaseEnds = ConcurrentHashMap.newKeySet();

    static final Queue<TaskMessage> sent = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void coordinator() {
        // every task of these jobs is dispatched when it is submitted: applying their events sends nothing,
        // but the reduce tasks of a job whose map phase a test ends
        Outbox nothingToSend = new Outbox() {
            @Override
            public CompletableFuture<Void> send(List<TaskMessage> tasks) {
                if (!tasks.stream().allMatch(t -> mapPhaseEnds.contains(t.jobId()) && t.type() == TaskType.REDUCE)) {
                    throw new AssertionError("nothing is to be sent, got " + tasks);
                }
                sent.addAll(tasks);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void sendControls(List<ControlMessage> controls) {
                throw new AssertionError("nothing is to be sent, got " + controls);
            }
        };
        rig = SchedulerRig.create(
                "event_applier", 2, SchedulerRig.settings(Duration.ofMinutes(5), 10, 100), nothingToSend, metrics);
        jdbc = rig.jdbc();
        eventOffsets = rig.eventOffsets();
        scheduler = rig.scheduler();
    }

    @AfterAll
    static void close() {
        rig.close();
    }

    /**
     * A job of {@code maps} map tasks, all dispatched; returns their messages. The tests leave one
     * map task unfinished, so no reduce task is dispatched.
     */
    static List<TaskMessage> job(int maps) {
        List<MapInput> splits = new ArrayList<>();
        for (int i = 0; i < maps; i++) {
            splits.add(MapInput.ofRanges(List.of(new OffsetRange(0, i, i + 1))));
        }
        List<TaskMessage> sent = scheduler.startJob(
                UUID.randomUUID(),
                new JobRequest("applier", "t", null, null, null, maps, 1, "WORD_COUNT", "SUM", Map.of(), true),
                splits,
                maps,
                null);
        assertThat(sent).hasSize(maps);
        return sent;
    }

    static EventApplier applier(String topicId) {
        return new EventApplier(scheduler, eventOffsets, TOPIC, 0, topicId, () -> true, metrics);
    }

    static ConsumerRecord<String, byte[]> record(long offset, TaskEvent e) {
        return new ConsumerRecord<>(
                TOPIC, 0, offset, e.jobId() == null ? e.workerId() : e.jobId().toString(), Messages.encode(e));
    }

    static List<ConsumerRecord<String, byte[]>> next(TaskEvent... events) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (TaskEvent e : events) {
            records.add(record(offsets.getAndIncrement(), e));
        }
        return records;
    }

    static String attempt(TaskMessage m, String column) {
        return jdbc.queryForObject(
                "SELECT " + column + " FROM task_attempts WHERE job_id = ? AND task_type = 'MAP' AND task_index = ?"
                        + " AND attempt = ?",
                String.class,
                m.jobId(),
                m.taskIndex(),
                m.attempt());
    }

    static long position(String topicId) {
        return eventOffsets.eventOffset(TOPIC, 0, topicId);
    }

    @Test
    void aPollsEventsAreAppliedInOrderAndThePositionMovesPastTheLast() {
        List<TaskMessage> maps = job(2);
        EventApplier applier = applier("incarnation-a");
        List<ConsumerRecord<String, byte[]>> poll = next(
                TaskEvent.started(maps.get(0), "w1"),
                TaskEvent.started(maps.get(1), "w1"),
                TaskEvent.succeeded(maps.get(0), "w1", AttemptCounters.NONE),
                TaskEvent.started(maps.get(1), "w2")); // redelivered to another worker: it moves there
        applier.apply(poll);

        assertThat(attempt(maps.get(0), "status")).isEqualTo("SUCCEEDED");
        assertThat(attempt(maps.get(1), "status")).isEqualTo("RUNNING");
        assertThat(attempt(maps.get(1), "worker_id")).isEqualTo("w2");
        assertThat(position("incarnation-a")).isEqualTo(poll.get(3).offset() + 1);
    }

    @Test
    void eventsBeforeTheStoredPositionAreNotAppliedAgain() {
        List<TaskMessage> maps = job(2);
        EventApplier applier = applier("incarnation-b");
        List<ConsumerRecord<String, byte[]>> first = next(TaskEvent.started(maps.get(0), "w1"));
        List<ConsumerRecord<String, byte[]>> second = next(TaskEvent.started(maps.get(0), "w2"));
        applier.apply(first);
        applier.apply(second);
        assertThat(attempt(maps.get(0), "worker_id")).isEqualTo("w2");

        // a new leader reads from an older position: what was applied is skipped, the rest applied
        List<ConsumerRecord<String, byte[]>> third = next(TaskEvent.succeeded(maps.get(0), "w2", AttemptCounters.NONE));
        List<ConsumerRecord<String, byte[]>> replay = new ArrayList<>(first);
        replay.addAll(second);
        replay.addAll(third);
        applier("incarnation-b").apply(replay);
        assertThat(attempt(maps.get(0), "worker_id")).isEqualTo("w2");
        assertThat(attempt(maps.get(0), "status")).isEqualTo("SUCCEEDED");
        assertThat(position("incarnation-b")).isEqualTo(third.get(0).offset() + 1);
    }

    @Test
    void aBatchThatFailsIsAppliedAgainOneEventAtATimeLosingAndRepeatingNothing() {
        List<TaskMessage> maps = job(3);
        EventApplier applier = applier("incarnation-c");
        // the database refuses the first write of an attempt after this point, once
        jdbc.execute("CREATE SEQUENCE refusals");
        jdbc.execute(
                """
                CREATE FUNCTION refuse_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('refusals') = 1 THEN
                        RAISE EXCEPTION 'refused once';
                    END IF;
                    RETURN NEW;
                END $$""");
        jdbc.execute(
                "CREATE TRIGGER refuse_once BEFORE UPDATE ON task_attempts FOR EACH ROW EXECUTE FUNCTION refuse_once()");
        try {
            List<ConsumerRecord<String, byte[]>> poll = next(
                    TaskEvent.started(maps.get(0), "w1"),
                    TaskEvent.started(maps.get(1), "w1"),
                    TaskEvent.started(maps.get(2), "w1"),
                    TaskEvent.succeeded(maps.get(1), "w1", new AttemptCounters(7, 0, 7, 7, 70, 0, 0)));
            applier.apply(poll);

            assertThat(jdbc.queryForObject("SELECT last_value FROM refusals", Long.class))
                    .as("the batch was refused, then its events were applied one by one")
                    .isGreaterThan(1);
            assertThat(attempt(maps.get(0), "status")).isEqualTo("RUNNING");
            assertThat(attempt(maps.get(1), "status")).isEqualTo("SUCCEEDED");
            assertThat(attempt(maps.get(2), "status")).isEqualTo("RUNNING");
            assertThat(jdbc.queryForObject(
                            "SELECT records_read FROM tasks WHERE job_id = ? AND task_type = 'MAP' AND task_index = 1",
                            Long.class,
                            maps.get(1).jobId()))
                    .isEqualTo(7);
            assertThat(position("incarnation-c")).isEqualTo(poll.get(3).offset() + 1);
        } finally {
            jdbc.execute("DROP TRIGGER refuse_once ON task_attempts");
            jdbc.execute("DROP FUNCTION refuse_once()");
            jdbc.execute("DROP SEQUENCE refusals");
        }
    }

    @Test
    void anEventThatCannotBeAppliedIsSkippedAndTheEventsBehindItAreApplied() {
        List<TaskMessage> maps = job(3);
        // the database refuses every write of worker "poison" (a bug's exception, not an outage)
        jdbc.execute(
                """
                CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.worker_id = 'poison' THEN
                        RAISE EXCEPTION 'this event cannot be applied';
                    END IF;
                    RETURN NEW;
                END $$""");
        jdbc.execute(
                "CREATE TRIGGER refuse_poison BEFORE UPDATE ON task_attempts FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
        try {
            // the old applier retried such an event for as long as it led: this one gives up after 60 s
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            EventApplier applier = new EventApplier(
                    scheduler, eventOffsets, TOPIC, 0, "incarnation-d", () -> System.nanoTime() < deadline, metrics);
            double skippedBefore = skipped();
            List<ConsumerRecord<String, byte[]>> poll = next(
                    TaskEvent.started(maps.get(0), "w1"),
                    TaskEvent.started(maps.get(1), "poison"),
                    TaskEvent.started(maps.get(2), "w1"),
                    TaskEvent.succeeded(maps.get(0), "w1", AttemptCounters.NONE));
            applier.apply(poll);

            assertThat(System.nanoTime()).as("applied before the deadline").isLessThan(deadline);
            assertThat(attempt(maps.get(0), "status")).isEqualTo("SUCCEEDED");
            assertThat(attempt(maps.get(1), "status"))
                    .as("left to the monitors")
                    .isEqualTo("QUEUED");
            assertThat(attempt(maps.get(2), "status")).isEqualTo("RUNNING");
            assertThat(position("incarnation-d")).isEqualTo(poll.get(3).offset() + 1);
            assertThat(skipped() - skippedBefore).isEqualTo(1.0);
        } finally {
            jdbc.execute("DROP TRIGGER refuse_poison ON task_attempts");
            jdbc.execute("DROP FUNCTION refuse_poison()");
        }
    }

    @Test
    void heartbeatsAmongAPollsSuccessesDoNotStopTheMapPhaseFromEnding() {
        List<TaskMessage> maps = job(3);
        UUID jobId = maps.get(0).jobId();
        mapPhaseEnds.add(jobId);
        EventApplier applier = applier("incarnation-e");
        // workers of this test's own: a heartbeat of "w1" would declare lost the attempts the other tests
        // left running on "w1" (once they are 2 s old, so only on a slow run) and the retries would be sent
        String w1 = "heartbeats-w1";
        String w2 = "heartbeats-w2";
        applier.apply(next(
                TaskEvent.started(maps.get(0), w1),
                TaskEvent.started(maps.get(1), w2),
                TaskEvent.started(maps.get(2), w1)));
        // heartbeats are applied after the poll's other events: the successes around them are one run,
        // whose count of unfinished maps must reach 0 (a second load of the run counted from unwritten rows)
        applier.apply(next(
                TaskEvent.succeeded(maps.get(0), w1, AttemptCounters.NONE),
                TaskEvent.heartbeat(w2, TaskType.MAP, List.of(AttemptRef.of(maps.get(1)))),
                TaskEvent.succeeded(maps.get(1), w2, AttemptCounters.NONE),
                TaskEvent.heartbeat(w1, TaskType.MAP, List.of(AttemptRef.of(maps.get(2)))),
                TaskEvent.succeeded(maps.get(2), w1, AttemptCounters.NONE)));

        assertThat(jdbc.queryForObject("SELECT status FROM jobs WHERE job_id = ?", String.class, jobId))
                .isEqualTo("REDUCE_RUNNING");
        assertThat(sent).filteredOn(t -> t.jobId().equals(jobId)).hasSize(1);
    }

    @Test
    void aReduceAttemptWhoseWorkerIsLostAfterItsCommitSucceeded() {
        List<TaskMessage> maps = job(1);
        UUID jobId = maps.get(0).jobId();
        mapPhaseEnds.add(jobId);
        EventApplier applier = applier("incarnation-f");
        String mapper = "reconcile-m1";
        String reducer = "reconcile-r1";
        applier.apply(next(
                TaskEvent.started(maps.get(0), mapper),
                TaskEvent.succeeded(maps.get(0), mapper, AttemptCounters.NONE)));
        TaskMessage reduce =
                sent.stream().filter(t -> t.jobId().equals(jobId)).findFirst().orElseThrow();
        applier.apply(next(TaskEvent.started(reduce, reducer)));
        // the attempt committed its rows, then its worker died before its SUCCEEDED went out
        jdbc.update(
                "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows) VALUES (?, 0, ?, ?, 5)",
                jobId,
                reduce.attempt(),
                reducer);
        jdbc.update(
                "UPDATE task_attempts SET started_at = now() - interval '1 minute' WHERE job_id = ?"
                        + " AND task_type = 'REDUCE'",
                jobId);
        // restarted, its worker runs nothing: the attempt's worker is lost, but the commit row is the truth
        applier.apply(next(TaskEvent.heartbeat(reducer, TaskType.REDUCE, List.of())));

        assertThat(jdbc.queryForObject(
                        "SELECT status FROM task_attempts WHERE job_id = ? AND task_type = 'REDUCE'",
                        String.class,
                        jobId))
                .isEqualTo("SUCCEEDED");
        assertThat(jdbc.queryForObject("SELECT status FROM jobs WHERE job_id = ?", String.class, jobId))
                .isEqualTo("COMPLETED");
    }

    static double skipped() {
        return registry.get("mapreduce.coordinator.task.events.skipped")
                .counter()
                .count();
    }
}
