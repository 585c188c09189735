package dev.mapreduce.coordinator.event;

import dev.mapreduce.coordinator.UnnestColumns;
import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rows a run of task events reads and writes, read and locked with a few statements and written
 * back with one statement per table. The scheduler applies the common events (STARTED,
 * SUCCEEDED) to these rows instead of querying and updating each event's rows one by one; before
 * anything else reads or writes the same rows in the transaction it calls {@link #flush()}, and
 * {@link #clear()} after anything else may have changed them.
 *
 * <p>Jobs are locked before their tasks, in id order, as every other change locks them, and the
 * caller holds {@link JobStore#lockScheduling()}, which every writer of tasks and attempts holds:
 * no one else writes these rows until the transaction ends, so the rows held here stay the truth.
 */
public final class EventBatch {

    private final JdbcTemplate jdbc;
    private final Map<UUID, JobRow> jobs = new HashMap<>();
    private final Map<TaskKey, HeldTask> tasks = new HashMap<>();
    private final Map<TaskKey, TreeMap<Integer, HeldAttempt>> attempts = new HashMap<>();
    private final Map<TaskKey, Integer> reduceCommits = new HashMap<>();
    private final Map<String, Integer> unfinished = new HashMap<>();
    private final Set<TaskKey> loaded = new LinkedHashSet<>();
    private final Map<String, TaskType> seenWorkers = new TreeMap<>();
    private Timestamp now;

    public EventBatch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the rows of the event's task are held. */
    boolean holds(TaskEvent e) {
        return loaded.contains(TaskKey.of(e));
    }

    /** Reads and locks the rows the events' tasks need (events without a job or task are left out). */
    void load(List<TaskEvent> events) {
        List<TaskKey> keys = new ArrayList<>(events.size());
        for (TaskEvent e : events) {
            if (e != null && e.jobId() != null && e.type() != null) {
                keys.add(TaskKey.of(e));
            }
        }
        loadTasks(keys);
    }

    /** Reads and locks the rows of these tasks and their jobs (those not held yet). */
    public void loadTasks(Collection<TaskKey> tasksToLoad) {
        Set<TaskKey> keys = new TreeSet<>(Comparator.comparing(TaskKey::jobId)
                .thenComparing(TaskKey::type)
                .thenComparingInt(TaskKey::index));
        for (TaskKey k : tasksToLoad) {
            if (!loaded.contains(k)) {
                keys.add(k);
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        String[] jobIds =
                keys.stream().map(k -> k.jobId().toString()).distinct().toArray(String[]::new);
        String[] taskJobs = keys.stream().map(k -> k.jobId().toString()).toArray(String[]::new);
        String[] types = keys.stream().map(k -> k.type().name()).toArray(String[]::new);
        Integer[] indexes = keys.stream().map(TaskKey::index).toArray(Integer[]::new);
        jdbc.query(
                EventBatchSql.JOBS,
                rs -> {
                    JobRow job = JobRow.read(rs, 0);
                    jobs.put(job.jobId(), job);
                    now = rs.getTimestamp("now");
                },
                (Object) jobIds);
        jdbc.query(
                EventBatchSql.TASKS,
                rs -> {
                    HeldTask t = HeldTask.read(rs);
                    tasks.put(t.key, t);
                },
                taskJobs,
                types,
                indexes);
        jdbc.query(
                EventBatchSql.ATTEMPTS,
                rs -> {
                    HeldAttempt a = HeldAttempt.read(rs);
                    attempts.computeIfAbsent(EventBatchSql.key(rs), k -> new TreeMap<>())
                            .put(a.number, a);
                },
                taskJobs,
                types,
                indexes);
        Map<String, Integer> perPhase = new TreeMap<>();
        for (TaskKey k : keys) {
            perPhase.merge(phase(k), 1, Integer::sum);
        }
        jdbc.query(
                EventBatchSql.UNFINISHED,
                rs -> {
                    unfinished.put(rs.getString(1) + "/" + rs.getString(2), rs.getInt(3));
                },
                perPhase.keySet().stream().map(p -> p.split("/")[0]).toArray(String[]::new),
                perPhase.keySet().stream().map(p -> p.split("/")[1]).toArray(String[]::new),
                perPhase.values().stream().map(n -> n + 1).toArray(Integer[]::new));
        List<TaskKey> reduces =
                keys.stream().filter(k -> k.type() == TaskType.REDUCE).toList();
        if (!reduces.isEmpty()) {
            jdbc.query(
                    EventBatchSql.REDUCE_COMMITS,
                    rs -> {
                        reduceCommits.put(
                                new TaskKey(rs.getObject(1, UUID.class), TaskType.REDUCE, rs.getInt(2)), rs.getInt(3));
                    },
                    reduces.stream().map(k -> k.jobId().toString()).toArray(String[]::new),
                    reduces.stream().map(TaskKey::index).toArray(Integer[]::new));
        }
        loaded.addAll(keys);
    }

    JobRow job(UUID jobId) {
        return jobs.get(jobId);
    }

    public HeldTask task(TaskKey key) {
        return tasks.get(key);
    }

    public HeldAttempt attempt(TaskKey key, int number) {
        TreeMap<Integer, HeldAttempt> of = attempts.get(key);
        return of == null ? null : of.get(number);
    }

    /** The task's live attempts, in attempt order. */
    public List<HeldAttempt> liveAttempts(TaskKey key) {
        List<HeldAttempt> live = new ArrayList<>();
        for (HeldAttempt a : attempts.getOrDefault(key, new TreeMap<>()).values()) {
            if (a.status.isLive()) {
                live.add(a);
            }
        }
        return live;
    }

    /** The attempt that committed a reduce partition, or null. */
    Integer reduceCommit(TaskKey key) {
        return reduceCommits.get(key);
    }

    /** The worker is alive: written once per worker at {@link #flush()}. */
    void seenWorker(String workerId, TaskType type) {
        if (workerId != null) {
            seenWorkers.putIfAbsent(workerId, type);
        }
    }

    /** A live attempt started (again: a redelivered attempt moves to its new worker). */
    void started(HeldTask task, HeldAttempt attempt, String workerId, Instant at) {
        attempt.start(workerId, at);
        task.attemptStarted(at);
    }

    /** A live attempt ended as its worker reported. */
    void finished(
            HeldAttempt attempt,
            String workerId,
            AttemptStatus status,
            AttemptCounters counters,
            String error,
            Instant at) {
        attempt.finish(workerId, status, counters, error, at);
    }

    /** A live attempt ended for a reason of the coordinator's (another attempt won). */
    public void ended(HeldAttempt attempt, AttemptStatus status, String error) {
        attempt.end(status, error, now);
    }

    /**
     * The task is completed by {@code attempt}. Returns how many tasks of its job and type are not
     * (exact when it is small; only 0 matters).
     */
    public int completed(HeldTask task, int attempt, AttemptCounters counters) {
        boolean wasCompleted = task.complete(attempt, counters, now);
        String phase = phase(task.key);
        int left = unfinished.getOrDefault(phase, 0) - (wasCompleted ? 0 : 1);
        unfinished.put(phase, left);
        return left;
    }

    /** Writes what changed since the last flush: one statement per table. */
    public void flush() {
        UnnestColumns t = EventBatchSql.dirtyTasks(tasks.values());
        UnnestColumns a = EventBatchSql.dirtyAttempts(attempts);
        if (t.rows > 0) {
            jdbc.update(EventBatchSql.WRITE_TASKS, t.arrays());
        }
        if (a.rows > 0) {
            jdbc.update(EventBatchSql.WRITE_ATTEMPTS, a.arrays());
        }
        if (!seenWorkers.isEmpty()) {
            jdbc.update(
                    EventBatchSql.SEEN_WORKERS,
                    seenWorkers.keySet().toArray(String[]::new),
                    seenWorkers.values().stream().map(TaskType::name).toArray(String[]::new));
            seenWorkers.clear();
        }
    }

    /** Writes what changed, then forgets every row read: for when something else reads or writes them next. */
    public void flushAndClear() {
        flush();
        clear();
    }

    /** Forgets every row read; the next {@link #load} reads them again. Call {@link #flush()} first. */
    void clear() {
        jobs.clear();
        tasks.clear();
        attempts.clear();
        reduceCommits.clear();
        unfinished.clear();
        loaded.clear();
    }

    private static String phase(TaskKey key) {
        return key.jobId() + "/" + key.type().name();
    }
}
