package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.coordinator.task.TaskStatus;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.QueryResults;
import dev.mapreduce.protocol.TaskType;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Every SQL statement on jobs, tasks, task_attempts and workers. Callers hold the transaction. */
@Repository
class JobStore {

    /** A task's scheduling state, locked for update. */
    record TaskRow(TaskStatus status, int currentAttempt, Integer committedAttempt, int failures, List<String> avoid) {}

    /** An attempt the coordinator still trusts (QUEUED or RUNNING). */
    record LiveAttempt(int attempt, AttemptStatus status, String workerId, Instant startedAt) {}

    /** A live attempt anywhere, with the task it belongs to. */
    record RunningAttempt(AttemptRef ref, String workerId, Instant startedAt) {}

    /**
     * The fencing rule, the one place it is written: a change to an attempt's row applies to that
     * attempt only, and only while it is live. Zero rows changed means the attempt ended meanwhile:
     * the change lost, which is a normal outcome. Parameters: job id, task type, task index, attempt.
     */
    static final String LIVE_ATTEMPT = "job_id = ? AND task_type = ? AND task_index = ? AND attempt = ?"
            + " AND status IN " + AttemptStatus.LIVE_SQL;

    /** The PostgreSQL channel of job changes; the payload is the job id. */
    static final String JOB_EVENTS = "mapreduce_job_events";

    /** The transaction-level advisory lock of {@link #lockScheduling()} ("mr-sched"). */
    private static final long SCHEDULING_LOCK = 0x6d722d7363686564L;

    /** The first key of the two-key advisory locks that serialise one owner's submits. */
    private static final int OWNER_LOCK_CLASS = 17;

    private final JdbcTemplate jdbc;
    private final Object notifyKey = new Object();

    JobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a new job; {@code owner} is the submitting tenant, or null. */
    /**
     * Records a new job; returns false, recording nothing, when its owner already has a job with its
     * {@code requestId}.
     */
    boolean insertJob(UUID jobId, JobRequest r, long inputRecords, String owner) {
        return jdbc.update(
                        "INSERT INTO jobs (job_id, job_name, status, input_topic, input_path, input_from, input_to,"
                                + " num_mappers, num_reducers, map_function, reduce_function, parameters, combiner,"
                                + " input_records, owner, format, max_malformed_ratio, request_id, query)"
                                + " VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?)"
                                + " ON CONFLICT (owner, request_id) WHERE request_id IS NOT NULL DO NOTHING",
                        jobId,
                        r.jobName(),
                        r.inputTopic(),
                        r.inputPath(),
                        r.from() == null ? null : Timestamp.from(r.from()),
                        r.to() == null ? null : Timestamp.from(r.to()),
                        r.numMappers(),
                        r.numReducers(),
                        r.mapFunction(),
                        r.reduceFunction(),
                        json(r.parameters() == null ? Map.of() : r.parameters()),
                        r.combiner(),
                        inputRecords,
                        owner,
                        r.format() == null ? null : json(r.format()),
                        r.maxMalformedRatio() == null ? MalformedRecords.DEFAULT_MAX_RATIO : r.maxMalformedRatio(),
                        r.requestId(),
                        r.query())
                > 0;
    }

    /** The job {@code owner} (null: no tenant) submitted with {@code requestId}, if any. */
    /** Holds {@code owner}'s submit lock until the transaction ends (a key space of its own). */
    void lockOwner(String owner) {
        jdbc.query("SELECT pg_advisory_xact_lock(?, hashtext(?))", rs -> null, OWNER_LOCK_CLASS, owner);
    }

    /** How many of {@code owner}'s jobs are queued or running. */
    int activeJobs(String owner) {
        Integer count = jdbc.queryForObject(
                "SELECT count(*) FROM jobs WHERE owner = ?"
                        + " AND status IN ('PENDING', 'RUNNING', 'MAP_COMPLETED', 'REDUCE_RUNNING')",
                Integer.class,
                owner);
        return count == null ? 0 : count;
    }

    Optional<UUID> jobByRequestId(String owner, String requestId) {
        return jdbc
                .query(
                        "SELECT job_id FROM jobs WHERE owner IS NOT DISTINCT FROM ? AND request_id = ?",
                        (rs, i) -> rs.getObject(1, UUID.class),
                        owner,
                        requestId)
                .stream()
                .findFirst();
    }

    /** Frees a job's requestId, so that a retry of a submit that failed makes a new job. */
    void forgetRequestId(UUID jobId) {
        jdbc.update("UPDATE jobs SET request_id = NULL WHERE job_id = ?", jobId);
    }

    /**
     * Records a new job's map tasks. They wait for a dispatch slot behind the job's cursor, with
     * attempt 1 to come.
     */
    void insertMapTasks(UUID jobId, List<MapInput> splits) {
        jdbc.update(
                "INSERT INTO tasks (job_id, task_type, task_index, status, input, input_records)"
                        + " SELECT ?, 'MAP', s.task_index, 'PENDING', s.input::jsonb, s.records"
                        + " FROM unnest(?::int[], ?::text[], ?::bigint[]) AS s (task_index, input, records)",
                jobId,
                java.util.stream.IntStream.range(0, splits.size()).boxed().toArray(Integer[]::new),
                splits.stream().map(MapInput::json).toArray(String[]::new),
                splits.stream().map(MapInput::records).toArray(Long[]::new));
    }

    /** Records a job's reduce tasks; they wait for a dispatch slot behind the job's cursor. */
    void insertReduceTasks(UUID jobId, int numReducers) {
        List<Object[]> tasks = new ArrayList<>();
        for (int p = 0; p < numReducers; p++) {
            tasks.add(new Object[] {jobId, p});
        }
        jdbc.batchUpdate(
                "INSERT INTO tasks (job_id, task_type, task_index, status) VALUES (?, 'REDUCE', ?, 'PENDING')", tasks);
    }

    /** One map task's input: offset ranges or file splits, as its job reads. */
    MapInput mapInput(JobRow job, int index) {
        String json = jdbc.queryForObject(
                "SELECT input FROM tasks WHERE job_id = ? AND task_type = 'MAP' AND task_index = ?",
                String.class,
                job.jobId(),
                index);
        return MapInput.decode(json, job.readsFiles());
    }

    /** The committed attempt of every map task, by task index. */
    List<MapRunRef> committedMaps(UUID jobId) {
        return jdbc.query(
                "SELECT task_index, committed_attempt FROM tasks WHERE job_id = ? AND task_type = 'MAP'"
                        + " ORDER BY task_index",
                (rs, n) -> new MapRunRef(rs.getInt(1), rs.getInt(2)),
                jobId);
    }

    Optional<JobRow> lockJob(UUID jobId) {
        return jdbc
                .query(
                        "SELECT job_id, status, input_topic, num_reducers, map_function, reduce_function, parameters,"
                                + " combiner, format, query FROM jobs WHERE job_id = ? FOR UPDATE",
                        JobStore::jobRow,
                        jobId)
                .stream()
                .findFirst();
    }

    /**
     * Tells whoever listens on {@value #JOB_EVENTS} (the gateway's event streams) that the job
     * changed. PostgreSQL sends it when the transaction commits; a rolled-back change sends
     * nothing. In a transaction the jobs are collected and notified with one statement just before
     * the commit, once each however often the transaction calls this.
     */
    void notifyChanged(UUID jobId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            notifyJobs(Set.of(jobId));
            return;
        }
        @SuppressWarnings("unchecked")
        Set<UUID> changed = (Set<UUID>) TransactionSynchronizationManager.getResource(notifyKey);
        if (changed == null) {
            Set<UUID> jobs = new LinkedHashSet<>();
            TransactionSynchronizationManager.bindResource(notifyKey, jobs);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    notifyJobs(jobs);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(notifyKey);
                }
            });
            changed = jobs;
        }
        changed.add(jobId);
    }

    private void notifyJobs(Set<UUID> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        jdbc.query(
                "SELECT pg_notify(?, j) FROM unnest(?::text[]) AS j",
                rs -> null,
                JOB_EVENTS,
                jobs.stream().map(UUID::toString).toArray(String[]::new));
    }

    /**
     * Serialises the changes that create or end attempts, across coordinator replicas, until the
     * transaction ends: the dispatch limits count attempts in flight, and two changes counting at
     * once could both take the last slot. Every such transaction takes it first, before any row
     * lock, so it cannot deadlock on rows.
     */
    void lockScheduling() {
        jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> null, SCHEDULING_LOCK);
    }

    Optional<TaskRow> lockTask(UUID jobId, TaskType type, int index) {
        return jdbc
                .query(
                        "SELECT status, current_attempt, committed_attempt, failures, avoid_workers FROM tasks"
                                + " WHERE job_id = ? AND task_type = ? AND task_index = ? FOR UPDATE",
                        (rs, n) -> new TaskRow(
                                TaskStatus.of(rs.getString(1)),
                                rs.getInt(2),
                                (Integer) rs.getObject(3),
                                rs.getInt(4),
                                Arrays.asList((String[]) rs.getArray(5).getArray())),
                        jobId,
                        type.name(),
                        index)
                .stream()
                .findFirst();
    }

    /** The attempt's status; the caller holds the scheduling lock, so it stays so until the transaction ends. */
    Optional<AttemptStatus> attemptStatus(AttemptRef a) {
        return jdbc
                .queryForList(
                        "SELECT status FROM task_attempts WHERE job_id = ? AND task_type = ? AND task_index = ?"
                                + " AND attempt = ?",
                        String.class,
                        a.jobId(),
                        a.type().name(),
                        a.taskIndex(),
                        a.attempt())
                .stream()
                .findFirst()
                .map(AttemptStatus::of);
    }

    List<LiveAttempt> liveAttempts(UUID jobId, TaskType type, int index) {
        return jdbc.query(
                "SELECT attempt, status, worker_id, started_at FROM task_attempts"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ? AND status IN " + AttemptStatus.LIVE_SQL
                        + " ORDER BY attempt",
                (rs, n) -> new LiveAttempt(rs.getInt(1), AttemptStatus.of(rs.getString(2)), rs.getString(3), instant(rs.getTimestamp(4))),
                jobId,
                type.name(),
                index);
    }

    /** Live attempts that a worker runs, by worker. */
    List<RunningAttempt> runningOn(String workerId) {
        return jdbc.query(
                "SELECT job_id, task_type, task_index, attempt, worker_id, started_at FROM task_attempts"
                        + " WHERE worker_id = ? AND status IN " + AttemptStatus.LIVE_SQL + " AND finished_at IS NULL",
                JobStore::runningAttempt,
                workerId);
    }

    private static RunningAttempt runningAttempt(ResultSet rs, int n) throws SQLException {
        return new RunningAttempt(
                new AttemptRef(
                        rs.getObject(1, UUID.class), TaskType.valueOf(rs.getString(2)), rs.getInt(3), rs.getInt(4)),
                rs.getString(5),
                instant(rs.getTimestamp(6)));
    }

    /** Adds an attempt to the task and returns its number. */
    int createAttempt(UUID jobId, TaskType type, int index, boolean speculative) {
        Integer attempt = jdbc.queryForObject(
                "UPDATE tasks SET current_attempt = current_attempt + 1, ready_at = NULL"
                        + (speculative ? ", speculated = true" : "")
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ? RETURNING current_attempt",
                Integer.class,
                jobId,
                type.name(),
                index);
        jdbc.update(
                "INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status, speculative)"
                        + " VALUES (?, ?, ?, ?, 'QUEUED', ?)",
                jobId,
                type.name(),
                index,
                attempt,
                speculative);
        return attempt;
    }

    /**
     * Records that Kafka took these attempts' messages, on those still QUEUED (a started attempt was
     * evidently delivered). Each row is found by key and updated by its address, as {@link
     * EventBatch} writes: the caller holds the scheduling lock.
     */
    void markDispatched(List<AttemptRef> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        jdbc.update(
                """
                UPDATE task_attempts a SET dispatched_at = now()
                FROM unnest(?::uuid[], ?::text[], ?::int[], ?::int[]) AS d (job_id, task_type, task_index, attempt)
                CROSS JOIN LATERAL (
                    SELECT x.ctid AS row FROM task_attempts x
                    WHERE x.job_id = d.job_id AND x.task_type = d.task_type AND x.task_index = d.task_index
                      AND x.attempt = d.attempt AND x.status = 'QUEUED'
                    OFFSET 0) k
                WHERE a.ctid = k.row
                """,
                attempts.stream().map(a -> a.jobId().toString()).toArray(String[]::new),
                attempts.stream().map(a -> a.type().name()).toArray(String[]::new),
                attempts.stream().map(AttemptRef::taskIndex).toArray(Integer[]::new),
                attempts.stream().map(AttemptRef::attempt).toArray(Integer[]::new));
    }

    /** Attempts created but never sent (the coordinator stopped in between), oldest first. */
    List<AttemptRef> undispatched(Duration olderThan) {
        return jdbc.query(
                "SELECT a.job_id, a.task_type, a.task_index, a.attempt FROM task_attempts a JOIN jobs j USING (job_id)"
                        + " WHERE a.status = 'QUEUED' AND a.finished_at IS NULL AND a.dispatched_at IS NULL"
                        + " AND a.queued_at < now() - make_interval(secs => ?)"
                        + " AND j.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') ORDER BY a.queued_at LIMIT 1000",
                (rs, n) -> new AttemptRef(
                        rs.getObject(1, UUID.class), TaskType.valueOf(rs.getString(2)), rs.getInt(3), rs.getInt(4)),
                olderThan.toMillis() / 1000.0);
    }

    /**
     * Attempts whose messages Kafka took longer than {@code olderThan} ago and that never reported
     * STARTED, oldest first.
     */
    List<AttemptRef> unstarted(Duration olderThan) {
        return jdbc.query(
                "SELECT a.job_id, a.task_type, a.task_index, a.attempt FROM task_attempts a JOIN jobs j USING (job_id)"
                        + " WHERE a.status = 'QUEUED' AND a.finished_at IS NULL"
                        + " AND a.dispatched_at < now() - make_interval(secs => ?)"
                        + " AND j.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') ORDER BY a.dispatched_at LIMIT 1000",
                (rs, n) -> new AttemptRef(
                        rs.getObject(1, UUID.class), TaskType.valueOf(rs.getString(2)), rs.getInt(3), rs.getInt(4)),
                olderThan.toMillis() / 1000.0);
    }

    /**
     * Ends a live attempt for a reason of the coordinator's (lost, timed out, superseded), without
     * counters; false if it had ended already ({@link #LIVE_ATTEMPT}).
     */
    boolean endAttempt(AttemptRef a, AttemptStatus status, String error) {
        return jdbc.update(
                        "UPDATE task_attempts SET status = ?, finished_at = now(), error = ? WHERE " + LIVE_ATTEMPT,
                        status.name(),
                        error,
                        a.jobId(),
                        a.type().name(),
                        a.taskIndex(),
                        a.attempt())
                > 0;
    }

    /**
     * The task waits for a dispatch slot from {@code readyAt} on (a retry after its backoff), or,
     * if that is null, for its inputs (a reduce task whose map output is being recomputed).
     */
    void taskPending(UUID jobId, TaskType type, int index, Instant readyAt) {
        jdbc.update(
                "UPDATE tasks SET status = 'PENDING', ready_at = ? WHERE job_id = ? AND task_type = ? AND task_index = ?",
                readyAt == null ? null : Timestamp.from(readyAt),
                jobId,
                type.name(),
                index);
    }

    /** Counts a failed attempt against the task and remembers the worker it failed on. */
    void addFailure(UUID jobId, TaskType type, int index, String workerId) {
        jdbc.update(
                "UPDATE tasks SET failures = failures + 1,"
                        + " avoid_workers = CASE WHEN ? IS NULL OR ? = ANY (avoid_workers) THEN avoid_workers"
                        + " ELSE avoid_workers || ?::text END"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ?",
                workerId,
                workerId,
                workerId,
                jobId,
                type.name(),
                index);
    }

    /** A committed map task whose output was lost runs again. */
    void reopenMapTask(UUID jobId, int index) {
        jdbc.update(
                "UPDATE task_attempts SET status = 'SUPERSEDED', error = 'its output was lost from Redis; the task ran"
                        + " again' WHERE job_id = ? AND task_type = 'MAP' AND task_index = ? AND status = 'SUCCEEDED'",
                jobId,
                index);
        jdbc.update(
                "UPDATE tasks SET status = 'PENDING', committed_attempt = NULL, completed_at = NULL,"
                        + " records_read = 0, malformed_records = 0, map_output_records = 0,"
                        + " combine_output_records = 0, shuffle_bytes = 0"
                        + " WHERE job_id = ? AND task_type = 'MAP' AND task_index = ?",
                jobId,
                index);
        jdbc.update("UPDATE jobs SET lineage_recoveries = lineage_recoveries + 1 WHERE job_id = ?", jobId);
    }

    int lineageRecoveries(UUID jobId) {
        return jdbc.queryForObject("SELECT lineage_recoveries FROM jobs WHERE job_id = ?", Integer.class, jobId);
    }

    /** The task waits for a dispatch slot from now on, for a new attempt; it has no live attempt. */
    void taskReady(UUID jobId, TaskType type, int index) {
        jdbc.update(
                "UPDATE tasks SET status = 'PENDING', ready_at = now() WHERE job_id = ? AND task_type = ? AND task_index = ?",
                jobId,
                type.name(),
                index);
    }

    /**
     * Reduce tasks that ran before and wait (PENDING, no live attempt, no {@code ready_at}) for
     * their map inputs; those that never ran wait behind the job's cursor already.
     */
    List<Integer> waitingReduces(UUID jobId) {
        return jdbc.queryForList(
                "SELECT t.task_index FROM tasks t JOIN jobs j USING (job_id) WHERE t.job_id = ? AND t.task_type = 'REDUCE'"
                        + " AND t.status = 'PENDING' AND t.ready_at IS NULL AND t.task_index < j.next_reduce_task"
                        + " AND NOT EXISTS (SELECT 1 FROM task_attempts a"
                        + " WHERE a.job_id = t.job_id AND a.task_type = t.task_type AND a.task_index = t.task_index"
                        + " AND a.status IN " + AttemptStatus.LIVE_SQL + ") ORDER BY t.task_index",
                Integer.class,
                jobId);
    }

    /** Workers whose last heartbeat is older than {@code timeout}, now marked DEAD. */
    List<String> expireWorkers(Duration timeout) {
        return jdbc.queryForList(
                "UPDATE workers SET status = 'DEAD' WHERE status = 'ALIVE'"
                        + " AND last_heartbeat < now() - make_interval(secs => ?) RETURNING worker_id",
                String.class,
                timeout.toMillis() / 1000.0);
    }

    /** A new leader gives every live worker a fresh timeout: nobody read their heartbeats meanwhile. */
    void refreshWorkers() {
        jdbc.update("UPDATE workers SET last_heartbeat = now() WHERE status = 'ALIVE'");
    }

    /** Jobs left between phases (the coordinator stopped after MAP_COMPLETED). */
    List<UUID> jobsAt(JobStatus status) {
        return jdbc.queryForList("SELECT job_id FROM jobs WHERE status = ?", UUID.class, status.name());
    }

    /** The reduce commit of a partition: attempt and rows. */
    Optional<long[]> reduceCommitRow(UUID jobId, int partition) {
        return jdbc
                .query(
                        "SELECT attempt, output_rows FROM reduce_commits WHERE job_id = ? AND partition = ?",
                        (rs, n) -> new long[] {rs.getInt(1), rs.getLong(2)},
                        jobId,
                        partition)
                .stream()
                .findFirst();
    }

    /** Running attempts of running jobs, with how long they have run, for speculation. */
    List<RunningAttempt> runningAttempts() {
        return jdbc.query(
                "SELECT a.job_id, a.task_type, a.task_index, a.attempt, a.worker_id, a.started_at"
                        + " FROM task_attempts a JOIN jobs j USING (job_id) JOIN tasks t"
                        + " ON t.job_id = a.job_id AND t.task_type = a.task_type AND t.task_index = a.task_index"
                        + " WHERE a.status = 'RUNNING' AND a.finished_at IS NULL AND a.started_at IS NOT NULL"
                        + " AND NOT t.speculated"
                        + " AND j.status IN ('RUNNING', 'REDUCE_RUNNING')",
                JobStore::runningAttempt);
    }

    /** Tasks of a phase: how many, how many completed, and the median run time of completed attempts. */
    double[] phaseProgress(UUID jobId, TaskType type) {
        return jdbc.queryForObject(
                "SELECT (SELECT count(*) FROM tasks WHERE job_id = ? AND task_type = ?),"
                        + " (SELECT count(*) FROM tasks WHERE job_id = ? AND task_type = ? AND status = 'COMPLETED'),"
                        + " (SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM"
                        + " finished_at - started_at)), 0) FROM task_attempts WHERE job_id = ? AND task_type = ?"
                        + " AND status = 'SUCCEEDED' AND started_at IS NOT NULL)",
                (rs, n) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)},
                jobId,
                type.name(),
                jobId,
                type.name(),
                jobId,
                type.name());
    }

    /**
     * The position of the next task event to apply, locked; -1 if none was applied yet from this
     * incarnation of the topic ({@code topicId}: Kafka's id of the topic, new when it is recreated).
     */
    long lockEventOffset(String topic, int partition, String topicId) {
        // the upsert locks the row as FOR UPDATE would, and starts again at -1 for a new incarnation
        return jdbc.queryForObject(
                """
                INSERT INTO event_offsets AS o (topic, partition, next_offset, topic_id) VALUES (?, ?, -1, ?)
                ON CONFLICT (topic, partition) DO UPDATE
                    SET next_offset = CASE WHEN o.topic_id IS DISTINCT FROM excluded.topic_id THEN -1 ELSE o.next_offset END,
                        topic_id = excluded.topic_id
                RETURNING next_offset
                """,
                Long.class,
                topic,
                partition,
                topicId);
    }

    /** Where to start reading: the stored position if it belongs to this incarnation of the topic, else -1. */
    long eventOffset(String topic, int partition, String topicId) {
        return jdbc
                .queryForList(
                        "SELECT next_offset FROM event_offsets WHERE topic = ? AND partition = ? AND topic_id = ?",
                        Long.class,
                        topic,
                        partition,
                        topicId)
                .stream()
                .findFirst()
                .orElse(-1L);
    }

    void setEventOffset(String topic, int partition, long next) {
        jdbc.update(
                "UPDATE event_offsets SET next_offset = ? WHERE topic = ? AND partition = ?", next, topic, partition);
    }

    /** Cancels a running job: its live attempts are killed, its unfinished tasks cancelled, its rows deleted. */
    void cancelJob(UUID jobId) {
        jdbc.update(
                "UPDATE jobs SET status = 'CANCELLED', completed_at = now(), error = 'cancelled by request'"
                        + " WHERE job_id = ?",
                jobId);
        jdbc.update(
                "UPDATE task_attempts SET status = 'KILLED', finished_at = now(), error = 'job cancelled'"
                        + " WHERE job_id = ? AND status IN " + AttemptStatus.LIVE_SQL,
                jobId);
        jdbc.update(
                "UPDATE tasks SET status = 'CANCELLED', ready_at = NULL WHERE job_id = ? AND status <> 'COMPLETED'",
                jobId);
        jdbc.update("DELETE FROM results WHERE job_id = ?", jobId);
    }

    /**
     * Deletes an ended job and everything it left in PostgreSQL: results, reduce commits, attempts,
     * tasks and the job row. The caller holds the job row's lock, so no event or reduce commit of
     * the job interleaves.
     */
    void deleteJob(UUID jobId) {
        jdbc.execute(QueryResults.dropView(jobId));
        jdbc.update("DELETE FROM results WHERE job_id = ?", jobId);
        jdbc.update("DELETE FROM reduce_commits WHERE job_id = ?", jobId);
        jdbc.update("DELETE FROM task_attempts WHERE job_id = ?", jobId);
        jdbc.update("DELETE FROM tasks WHERE job_id = ?", jobId);
        jdbc.update("DELETE FROM jobs WHERE job_id = ?", jobId);
    }

    /**
     * Finishes a query job's rows when it completes: keeps only the rows its OFFSET and LIMIT select
     * in its ORDER BY (every reduce partition kept its own top rows), and creates the view that gives
     * them as named, typed columns ({@link QueryResults#createView}).
     */
    void finishQueryResults(UUID jobId, SqlQuery query) {
        if (query.limit() >= 0 || query.offset() > 0) {
            jdbc.update(
                    QueryResults.CUT_TO_LIMIT, jobId, jobId, query.limit() < 0 ? null : query.limit(), query.offset());
        }
        jdbc.execute(QueryResults.createView(jobId, query.columns()));
    }

    /** Records that a worker is alive now; returns whether it had been declared dead. */
    boolean seenWorker(String workerId, TaskType type) {
        Boolean wasDead = jdbc.queryForObject(
                "INSERT INTO workers AS w (worker_id, worker_type) VALUES (?, ?)"
                        + " ON CONFLICT (worker_id) DO UPDATE SET last_heartbeat = now(), status = 'ALIVE'"
                        + " RETURNING (SELECT status = 'DEAD' FROM workers WHERE worker_id = w.worker_id)",
                Boolean.class,
                workerId,
                type.name());
        return Boolean.TRUE.equals(wasDead);
    }

    /**
     * Ends a live attempt as its worker reported it, with its counters and error; false if it had
     * ended already ({@link #LIVE_ATTEMPT}).
     */
    boolean endAttempt(
            AttemptRef a, AttemptStatus status, String workerId, AttemptCounters c, String error, Instant at) {
        return jdbc.update(
                        "UPDATE task_attempts SET status = ?, worker_id = coalesce(worker_id, ?), finished_at = ?,"
                                + " records_read = ?, malformed_records = ?, map_output_records = ?,"
                                + " combine_output_records = ?, shuffle_bytes = ?, reduce_input_records = ?,"
                                + " output_records = ?, error = ? WHERE " + LIVE_ATTEMPT,
                        status.name(),
                        workerId,
                        Timestamp.from(at),
                        c.recordsRead(),
                        c.malformedRecords(),
                        c.mapOutputRecords(),
                        c.combineOutputRecords(),
                        c.shuffleBytes(),
                        c.reduceInputRecords(),
                        c.outputRecords(),
                        error,
                        a.jobId(),
                        a.type().name(),
                        a.taskIndex(),
                        a.attempt())
                > 0;
    }

    void taskFailed(UUID jobId, TaskType type, int index, String error) {
        jdbc.update(
                "UPDATE tasks SET status = 'FAILED', completed_at = now(), error = ?"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ?",
                error,
                jobId,
                type.name(),
                index);
    }

    int unfinishedTasks(UUID jobId, TaskType type) {
        Integer n = jdbc.queryForObject(
                "SELECT count(*) FROM tasks WHERE job_id = ? AND task_type = ? AND status <> 'COMPLETED'"
                        + " AND committed_attempt IS NULL",
                Integer.class,
                jobId,
                type.name());
        return n == null ? 0 : n;
    }

    /** Moves the job to {@code to} if it is in one of {@code from}; returns whether it moved. */
    boolean moveJob(UUID jobId, JobStatus to, JobStatus... from) {
        String timestamp =
                switch (to) {
                    case RUNNING -> ", started_at = coalesce(started_at, now())";
                    case MAP_COMPLETED -> ", map_completed_at = now()";
                    case COMPLETED, FAILED, CANCELLED -> ", completed_at = now()";
                    default -> "";
                };
        String[] names = Arrays.stream(from).map(Enum::name).toArray(String[]::new);
        return jdbc.update("UPDATE jobs SET status = ?" + timestamp + " WHERE job_id = ? AND status = ANY (?)", ps -> {
                    ps.setString(1, to.name());
                    ps.setObject(2, jobId);
                    ps.setArray(3, ps.getConnection().createArrayOf("text", names));
                })
                > 0;
    }

    /**
     * Fails a running job: its live attempts are killed, its unfinished tasks cancelled and, as on
     * cancel, the rows its committed reduce partitions wrote are deleted, so a failed job never
     * leaves a partial answer in {@code results}. A job that has already ended is left alone.
     */
    void failJob(UUID jobId, String error) {
        int failed = jdbc.update(
                "UPDATE jobs SET status = 'FAILED', completed_at = now(), error = ?"
                        + " WHERE job_id = ? AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')",
                error,
                jobId);
        if (failed > 0) {
            jdbc.update("DELETE FROM results WHERE job_id = ?", jobId);
        }
        jdbc.update(
                "UPDATE task_attempts SET status = 'KILLED', finished_at = now(), error = coalesce(error, 'job failed')"
                        + " WHERE job_id = ? AND status IN " + AttemptStatus.LIVE_SQL,
                jobId);
        jdbc.update(
                "UPDATE tasks SET status = 'CANCELLED', ready_at = NULL WHERE job_id = ? AND status IN "
                        + TaskStatus.LIVE_SQL,
                jobId);
    }

    Instant createdAt(UUID jobId) {
        return jdbc.queryForObject("SELECT created_at FROM jobs WHERE job_id = ?", Timestamp.class, jobId)
                .toInstant();
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static JobRow jobRow(ResultSet rs, int n) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, String> parameters =
                Messages.decode(rs.getString("parameters").getBytes(StandardCharsets.UTF_8), Map.class);
        return new JobRow(
                rs.getObject("job_id", UUID.class),
                JobStatus.valueOf(rs.getString("status")),
                rs.getString("input_topic"),
                rs.getInt("num_reducers"),
                rs.getString("map_function"),
                rs.getString("reduce_function"),
                parameters,
                rs.getBoolean("combiner"),
                format(rs.getString("format")),
                rs.getString("query"));
    }

    /** Keeps the first malformed records a map attempt reported with its success. */
    void saveMalformedSamples(AttemptRef attempt, List<MalformedRecords.Sample> samples) {
        jdbc.update(
                "UPDATE task_attempts SET malformed_samples = ?::jsonb"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ? AND attempt = ?",
                json(samples),
                attempt.jobId(),
                attempt.type().name(),
                attempt.taskIndex(),
                attempt.attempt());
    }

    /**
     * The first malformed records of the job's committed map attempts, in task order, at most
     * {@link MalformedRecords#MAX_SAMPLES}.
     */
    List<MalformedRecords.Sample> malformedSamples(UUID jobId) {
        List<MalformedRecords.Sample> samples = new ArrayList<>();
        jdbc.query(
                "SELECT a.malformed_samples::text FROM tasks t JOIN task_attempts a"
                        + " ON a.job_id = t.job_id AND a.task_type = t.task_type AND a.task_index = t.task_index"
                        + " AND a.attempt = t.committed_attempt"
                        + " WHERE t.job_id = ? AND t.task_type = 'MAP' AND a.malformed_samples IS NOT NULL"
                        + " ORDER BY t.task_index",
                rs -> {
                    if (samples.size() < MalformedRecords.MAX_SAMPLES) {
                        for (MalformedRecords.Sample sample : Messages.decode(
                                rs.getString(1).getBytes(StandardCharsets.UTF_8), MalformedRecords.Sample[].class)) {
                            if (samples.size() < MalformedRecords.MAX_SAMPLES) {
                                samples.add(sample);
                            }
                        }
                    }
                },
                jobId);
        return samples;
    }

    /**
     * Why the job must fail now that its map phase is done: more of its records are malformed than
     * its {@code max_malformed_ratio} allows (one line naming the format, the counts and the first
     * sample, as {@code mr local} says it); null when it may go on.
     */
    String tooMalformed(UUID jobId) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT j.format::text AS format, j.max_malformed_ratio,"
                        + " coalesce(sum(t.records_read), 0) AS records_read,"
                        + " coalesce(sum(t.malformed_records), 0) AS malformed"
                        + " FROM jobs j LEFT JOIN tasks t ON t.job_id = j.job_id AND t.task_type = 'MAP'"
                        + " WHERE j.job_id = ? GROUP BY j.job_id",
                jobId);
        long read = ((Number) row.get("records_read")).longValue();
        long malformed = ((Number) row.get("malformed")).longValue();
        double ratio = ((Number) row.get("max_malformed_ratio")).doubleValue();
        if (read == 0 || malformed <= ratio * read) {
            return null;
        }
        FormatSpec format = format((String) row.get("format"));
        return MalformedRecords.failure(
                format.type() == null ? "default" : format.type(), read, malformed, ratio, malformedSamples(jobId));
    }

    /** A job's stored format; null (a job from before formats) is the default format. */
    static FormatSpec format(String json) {
        return json == null
                ? FormatSpec.DEFAULT
                : Messages.decode(json.getBytes(StandardCharsets.UTF_8), FormatSpec.class);
    }

    static String json(Object value) {
        return new String(Messages.encode(value), StandardCharsets.UTF_8);
    }
}
