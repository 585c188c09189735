package dev.mapreduce.coordinator.task;

import dev.mapreduce.coordinator.event.EventBatch;
import dev.mapreduce.coordinator.event.EventOffsetStore;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The statements on {@code task_attempts}. Callers hold the transaction and, to change an
 * attempt, the scheduling lock; every change to a live attempt is guarded by {@link #LIVE_ATTEMPT}.
 */
@Repository
public class AttemptStore {

    /** An attempt the coordinator still trusts (QUEUED or RUNNING). */
    record LiveAttempt(int attempt, AttemptStatus status, String workerId, Instant startedAt) {}

    /** A live attempt anywhere, with the task it belongs to. */
    public record RunningAttempt(AttemptRef ref, String workerId, Instant startedAt) {}

    /**
     * The fencing rule, the one place it is written: a change to an attempt's row applies to that
     * attempt only, and only while it is live. Zero rows changed means the attempt ended meanwhile:
     * the change lost, which is a normal outcome. Parameters: job id, task type, task index, attempt.
     */
    static final String LIVE_ATTEMPT = "job_id = ? AND task_type = ? AND task_index = ? AND attempt = ?"
            + " AND status IN " + AttemptStatus.LIVE_SQL;

    private final JdbcTemplate jdbc;

    public AttemptStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The attempt's status; the caller holds the scheduling lock, so it stays so until the transaction ends. */
    public Optional<AttemptStatus> attemptStatus(AttemptRef a) {
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

    public List<LiveAttempt> liveAttempts(UUID jobId, TaskType type, int index) {
        return jdbc.query(
                "SELECT attempt, status, worker_id, started_at FROM task_attempts"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ? AND status IN "
                        + AttemptStatus.LIVE_SQL
                        + " ORDER BY attempt",
                (rs, n) -> new LiveAttempt(
                        rs.getInt(1),
                        AttemptStatus.of(rs.getString(2)),
                        rs.getString(3),
                        JobStore.instant(rs.getTimestamp(4))),
                jobId,
                type.name(),
                index);
    }

    /** Live attempts that a worker runs, by worker. */
    public List<RunningAttempt> runningOn(String workerId) {
        return jdbc.query(
                "SELECT job_id, task_type, task_index, attempt, worker_id, started_at FROM task_attempts"
                        + " WHERE worker_id = ? AND status IN " + AttemptStatus.LIVE_SQL + " AND finished_at IS NULL",
                AttemptStore::runningAttempt,
                workerId);
    }

    /** Live attempts that any of these workers runs: one statement for a poll's heartbeats. */
    public List<RunningAttempt> runningOn(Collection<String> workerIds) {
        return jdbc.query(
                "SELECT job_id, task_type, task_index, attempt, worker_id, started_at FROM task_attempts"
                        + " WHERE worker_id = ANY(?) AND status IN " + AttemptStatus.LIVE_SQL
                        + " AND finished_at IS NULL",
                AttemptStore::runningAttempt,
                (Object) workerIds.toArray(String[]::new));
    }

    private static RunningAttempt runningAttempt(ResultSet rs, int n) throws SQLException {
        return new RunningAttempt(
                new AttemptRef(
                        rs.getObject(1, UUID.class), TaskType.valueOf(rs.getString(2)), rs.getInt(3), rs.getInt(4)),
                rs.getString(5),
                JobStore.instant(rs.getTimestamp(6)));
    }

    /** Adds an attempt to the task and returns its number. */
    public int createAttempt(UUID jobId, TaskType type, int index, boolean speculative) {
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
    public void markDispatched(List<AttemptRef> attempts) {
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
    public List<AttemptRef> undispatched(Duration olderThan) {
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
     * Attempts whose messages Kafka took longer than {@code olderThan} ago, by the event log's clock
     * ({@link EventOffsetStore#olderByTheEventLog}: a STARTED still in the log unapplied does not
     * count as missing), and that never reported STARTED, oldest first.
     */
    public List<AttemptRef> unstarted(Duration olderThan) {
        return jdbc.query(
                "SELECT a.job_id, a.task_type, a.task_index, a.attempt FROM task_attempts a JOIN jobs j USING (job_id)"
                        + " WHERE a.status = 'QUEUED' AND a.finished_at IS NULL"
                        + " AND " + EventOffsetStore.olderByTheEventLog("a.dispatched_at")
                        + " AND j.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') ORDER BY a.dispatched_at LIMIT 1000",
                (rs, n) -> new AttemptRef(
                        rs.getObject(1, UUID.class), TaskType.valueOf(rs.getString(2)), rs.getInt(3), rs.getInt(4)),
                Topics.TASK_EVENTS,
                0.0,
                olderThan.toMillis() / 1000.0);
    }

    /**
     * Ends a live attempt for a reason of the coordinator's (lost, timed out, superseded), without
     * counters; false if it had ended already ({@link #LIVE_ATTEMPT}).
     */
    public boolean endAttempt(AttemptRef a, AttemptStatus status, String error) {
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
     * Ends a live attempt as its worker reported it, with its counters and error; false if it had
     * ended already ({@link #LIVE_ATTEMPT}).
     */
    public boolean endAttempt(
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

    /** Running attempts of running jobs, with how long they have run, for speculation. */
    public List<RunningAttempt> runningAttempts() {
        return jdbc.query(
                "SELECT a.job_id, a.task_type, a.task_index, a.attempt, a.worker_id, a.started_at"
                        + " FROM task_attempts a JOIN jobs j USING (job_id) JOIN tasks t"
                        + " ON t.job_id = a.job_id AND t.task_type = a.task_type AND t.task_index = a.task_index"
                        + " WHERE a.status = 'RUNNING' AND a.finished_at IS NULL AND a.started_at IS NOT NULL"
                        + " AND NOT t.speculated"
                        + " AND j.status IN ('RUNNING', 'REDUCE_RUNNING')",
                AttemptStore::runningAttempt);
    }

    /** Keeps the first malformed records a map attempt reported with its success. */
    public void saveMalformedSamples(AttemptRef attempt, List<MalformedRecords.Sample> samples) {
        jdbc.update(
                "UPDATE task_attempts SET malformed_samples = ?::jsonb"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ? AND attempt = ?",
                JobStore.json(samples),
                attempt.jobId(),
                attempt.type().name(),
                attempt.taskIndex(),
                attempt.attempt());
    }
}
