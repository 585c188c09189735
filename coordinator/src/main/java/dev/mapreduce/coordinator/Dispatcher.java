package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Gives free dispatch slots to waiting tasks and creates their attempts. A task waits in
 * PostgreSQL (PENDING with a {@code ready_at}) until it gets a slot: each job may have
 * {@link SchedulerSettings.Dispatch#jobLimit} attempts of a type in flight (queued in Kafka or
 * running) and all jobs together {@link SchedulerSettings.Dispatch#maxInFlight}; {@link FairShare}
 * decides who gets the free slots. Callers run {@link #dispatchWaiting} at the end of every change
 * that frees a slot or makes a task wait (an event batch, a submit, a monitor pass), in that change's
 * transaction and under {@link JobStore#lockScheduling()}; the messages go out after the commit.
 */
@Component
class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private static final String LIVE_WORKERS =
            "SELECT count(*) FROM workers WHERE status = 'ALIVE' AND worker_type = ?";

    private static final String IN_FLIGHT =
            """
            SELECT job_id, count(*) FROM task_attempts
            WHERE status IN ('QUEUED', 'RUNNING') AND task_type = ?
            GROUP BY job_id
            """;

    /** Per running job, its first tasks waiting for a slot, in the order they get one. */
    private static final String WAITING =
            """
            SELECT j.job_id, j.created_at, t.task_index
            FROM jobs j CROSS JOIN LATERAL (
                SELECT t.task_index, t.ready_at FROM tasks t
                WHERE t.job_id = j.job_id AND t.task_type = ? AND t.status = 'PENDING' AND t.ready_at <= now()
                ORDER BY t.ready_at, t.task_index
                LIMIT ?) t
            WHERE j.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
            ORDER BY j.job_id, t.ready_at, t.task_index
            """;

    /** Jobs among some whose map phase is not done (a lost map run is being recomputed). */
    private static final String MAPS_UNFINISHED =
            """
            SELECT DISTINCT job_id FROM tasks
            WHERE job_id = ANY (?::uuid[]) AND task_type = 'MAP' AND status <> 'COMPLETED'
            """;

    /**
     * Takes the picked tasks out of the waiting line, numbering their new attempts. Each is found by
     * key (a LATERAL lookup, never a join over the waiting line) and updated by its address, which
     * no one else changes meanwhile: every writer of tasks holds the scheduling lock.
     */
    private static final String NEXT_ATTEMPTS =
            """
            UPDATE tasks t SET current_attempt = t.current_attempt + 1, ready_at = NULL
            FROM unnest(?::uuid[], ?::int[]) AS p (job_id, task_index)
            CROSS JOIN LATERAL (
                SELECT x.ctid AS row FROM tasks x
                WHERE x.job_id = p.job_id AND x.task_type = ? AND x.task_index = p.task_index
                OFFSET 0) k
            WHERE t.ctid = k.row
            RETURNING t.job_id, t.task_index, t.current_attempt, t.input::text, t.avoid_workers
            """;

    private static final String INSERT_ATTEMPTS =
            """
            INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status)
            SELECT a.job_id, ?, a.task_index, a.attempt, 'QUEUED'
            FROM unnest(?::uuid[], ?::int[], ?::int[]) AS a (job_id, task_index, attempt)
            """;

    private static final String JOBS =
            """
            SELECT job_id, status, input_topic, num_reducers, map_function, reduce_function, parameters, combiner
            FROM jobs WHERE job_id = ANY (?::uuid[])
            """;

    private static final String WAITING_OF_JOB =
            """
            SELECT EXISTS (SELECT 1 FROM tasks
                           WHERE job_id = ? AND task_type = ? AND status = 'PENDING' AND ready_at IS NOT NULL)
            """;

    private final JdbcTemplate jdbc;
    private final JobStore store;
    private final Outbox outbox;
    private final SchedulerSettings.Dispatch limits;

    /** Attempts whose messages Kafka acknowledged, to be marked dispatched by the next change. */
    private final Queue<AttemptRef> acknowledged = new ConcurrentLinkedQueue<>();

    Dispatcher(JdbcTemplate jdbc, JobStore store, Outbox outbox, SchedulerSettings settings) {
        this.jdbc = jdbc;
        this.store = store;
        this.outbox = outbox;
        this.limits = settings.dispatch();
    }

    /** Creates attempts for waiting tasks while slots are free; their messages go into {@code fx}. */
    void dispatchWaiting(Effects fx) {
        for (TaskType type : TaskType.values()) {
            dispatchWaiting(type, fx);
        }
    }

    private void dispatchWaiting(TaskType type, Effects fx) {
        int workers = liveWorkers(type);
        int jobLimit = limits.jobLimit(workers);
        Map<UUID, Integer> inFlight = inFlight(type);
        int free = limits.maxInFlight(workers)
                - inFlight.values().stream().mapToInt(Integer::intValue).sum();
        if (free <= 0) {
            return;
        }
        List<FairShare.Job> waiting = waiting(type, jobLimit, inFlight);
        if (type == TaskType.REDUCE && !waiting.isEmpty()) {
            Set<UUID> mapsRunning = new HashSet<>(jdbc.queryForList(MAPS_UNFINISHED, UUID.class, (Object)
                    ids(waiting.stream().map(FairShare.Job::jobId).toList())));
            waiting.removeIf(j -> mapsRunning.contains(j.jobId()));
        }
        List<FairShare.Pick> picks = FairShare.pick(waiting, jobLimit, free);
        if (!picks.isEmpty()) {
            createAttempts(type, picks, fx);
        }
    }

    /**
     * Whether a backup attempt of a task of {@code jobId} may start: all jobs together are under
     * their limit, and no task of the job waits for a first slot (a backup never overtakes one).
     */
    boolean roomForBackup(UUID jobId, TaskType type) {
        int workers = liveWorkers(type);
        int inFlight =
                inFlight(type).values().stream().mapToInt(Integer::intValue).sum();
        return inFlight < limits.maxInFlight(workers)
                && !Boolean.TRUE.equals(jdbc.queryForObject(WAITING_OF_JOB, Boolean.class, jobId, type.name()));
    }

    private int liveWorkers(TaskType type) {
        Integer n = jdbc.queryForObject(LIVE_WORKERS, Integer.class, type.name());
        return n == null ? 0 : n;
    }

    private Map<UUID, Integer> inFlight(TaskType type) {
        Map<UUID, Integer> inFlight = new HashMap<>();
        jdbc.query(
                IN_FLIGHT,
                rs -> {
                    inFlight.put(rs.getObject(1, UUID.class), rs.getInt(2));
                },
                type.name());
        return inFlight;
    }

    private List<FairShare.Job> waiting(TaskType type, int jobLimit, Map<UUID, Integer> inFlight) {
        Map<UUID, Instant> created = new LinkedHashMap<>();
        Map<UUID, List<Integer>> tasks = new HashMap<>();
        jdbc.query(
                WAITING,
                rs -> {
                    UUID job = rs.getObject(1, UUID.class);
                    created.putIfAbsent(job, rs.getTimestamp(2).toInstant());
                    tasks.computeIfAbsent(job, k -> new ArrayList<>()).add(rs.getInt(3));
                },
                type.name(),
                jobLimit);
        List<FairShare.Job> jobs = new ArrayList<>();
        created.forEach(
                (job, at) -> jobs.add(new FairShare.Job(job, at, inFlight.getOrDefault(job, 0), tasks.get(job))));
        return jobs;
    }

    private void createAttempts(TaskType type, List<FairShare.Pick> picks, Effects fx) {
        record Next(UUID jobId, int index, int attempt, String input, List<String> avoid) {}
        List<Next> next = jdbc.query(
                NEXT_ATTEMPTS,
                (rs, n) -> new Next(
                        rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3), rs.getString(4), Arrays.asList((String
                                        [])
                                rs.getArray(5).getArray())),
                ids(picks.stream().map(FairShare.Pick::jobId).toList()),
                picks.stream().map(FairShare.Pick::taskIndex).toArray(Integer[]::new),
                type.name());
        if (next.isEmpty()) {
            return;
        }
        jdbc.update(
                INSERT_ATTEMPTS,
                type.name(),
                ids(next.stream().map(Next::jobId).toList()),
                next.stream().map(Next::index).toArray(Integer[]::new),
                next.stream().map(Next::attempt).toArray(Integer[]::new));
        Map<UUID, JobRow> jobs = new HashMap<>();
        jdbc.query(
                JOBS,
                rs -> {
                    JobRow job = JobStore.jobRow(rs, 0);
                    jobs.put(job.jobId(), job);
                },
                (Object) ids(next.stream().map(Next::jobId).distinct().toList()));
        Map<UUID, List<MapRunRef>> mapRuns = new HashMap<>();
        for (Next n : next) {
            JobRow job = jobs.get(n.jobId());
            TaskMessage m = type == TaskType.MAP
                    ? job.mapTask(n.index(), n.attempt(), MapInput.decode(n.input(), job.readsFiles()))
                    : job.reduceTask(n.index(), n.attempt(), mapRuns.computeIfAbsent(n.jobId(), store::committedMaps));
            fx.dispatch.add(m.withAttempt(n.attempt(), n.avoid()));
        }
        for (JobRow job : jobs.values()) {
            if (job.status() == JobStatus.PENDING) {
                store.moveJob(job.jobId(), JobStatus.RUNNING, JobStatus.PENDING);
            }
            store.notifyChanged(job.jobId());
        }
        log.debug("dispatching {} {} attempt(s)", next.size(), type.tag());
    }

    // ---- sending -------------------------------------------------------------------------------

    /** Sends the committed change's task messages without waiting; acknowledged ones are marked later. */
    void send(List<TaskMessage> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        List<AttemptRef> refs = tasks.stream().map(AttemptRef::of).toList();
        outbox.send(tasks).whenComplete((ok, e) -> {
            if (e == null) {
                acknowledged.addAll(refs);
            } else {
                log.warn("could not dispatch {} task(s), will send them again: {}", tasks.size(), e.getMessage());
            }
        });
    }

    /** Sends and waits for Kafka's acknowledgement of every message. */
    CompletableFuture<Void> sendNow(List<TaskMessage> tasks) {
        return outbox.send(tasks);
    }

    /**
     * Marks dispatched, in the caller's transaction, the attempts acknowledged since the last
     * call; returns them, to be given back with {@link #unmark} if the transaction rolls back.
     */
    List<AttemptRef> markAcknowledged() {
        List<AttemptRef> marked = new ArrayList<>();
        for (AttemptRef a; (a = acknowledged.poll()) != null; ) {
            marked.add(a);
        }
        store.markDispatched(marked);
        return marked;
    }

    void unmark(List<AttemptRef> marked) {
        acknowledged.addAll(marked);
    }

    /** Job ids as a text array, for {@code ?::uuid[]}: the driver cannot bind a {@code UUID[]}. */
    static String[] ids(java.util.Collection<UUID> jobIds) {
        return jobIds.stream().map(UUID::toString).toArray(String[]::new);
    }
}
