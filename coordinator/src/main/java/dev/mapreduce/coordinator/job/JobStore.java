package dev.mapreduce.coordinator.job;

import dev.mapreduce.coordinator.WorkerStore;
import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.coordinator.task.TaskStatus;
import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.QueryResults;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
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

/**
 * The statements on {@code jobs} (and what a job owns as a whole: its results and reduce commits),
 * with the coordinator's locks and change notices. Tasks are {@link TaskStore}'s, attempts {@link
 * AttemptStore}'s, workers {@link WorkerStore}'s. Callers hold the transaction.
 */
@Repository
public class JobStore {

    /** The PostgreSQL channel of job changes; the payload is the job id. */
    public static final String JOB_EVENTS = "mapreduce_job_events";

    /** The transaction-level advisory lock of {@link #lockScheduling()} ("mr-sched"). */
    private static final long SCHEDULING_LOCK = 0x6d722d7363686564L;

    /** The first key of the two-key advisory locks that serialise one owner's submits. */
    private static final int OWNER_LOCK_CLASS = 17;

    private final JdbcTemplate jdbc;
    private final Object notifyKey = new Object();

    public JobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a new job; returns false, recording nothing, when its owner already has a job with its
     * {@code requestId}.
     */
    public boolean insertJob(UUID jobId, JobRequest r, long inputRecords, String owner) {
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
    public void lockOwner(String owner) {
        jdbc.query("SELECT pg_advisory_xact_lock(?, hashtext(?))", rs -> null, OWNER_LOCK_CLASS, owner);
    }

    /** How many of {@code owner}'s jobs are queued or running. */
    public int activeJobs(String owner) {
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
    public void forgetRequestId(UUID jobId) {
        jdbc.update("UPDATE jobs SET request_id = NULL WHERE job_id = ?", jobId);
    }

    public Optional<JobRow> lockJob(UUID jobId) {
        return jdbc
                .query("SELECT " + JobRow.COLUMNS + " FROM jobs WHERE job_id = ? FOR UPDATE", JobRow::read, jobId)
                .stream()
                .findFirst();
    }

    /**
     * Tells whoever listens on {@value #JOB_EVENTS} (the gateway's event streams) that the job
     * changed. PostgreSQL sends it when the transaction commits; a rolled-back change sends
     * nothing. In a transaction the jobs are collected and notified with one statement just before
     * the commit, once each however often the transaction calls this.
     */
    public void notifyChanged(UUID jobId) {
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
    public void lockScheduling() {
        jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> null, SCHEDULING_LOCK);
    }

    public int lineageRecoveries(UUID jobId) {
        return jdbc.queryForObject("SELECT lineage_recoveries FROM jobs WHERE job_id = ?", Integer.class, jobId);
    }

    /** A new leader gives every live worker a fresh timeout: nobody read their heartbeats meanwhile. */
    public void refreshWorkers() {
        jdbc.update("UPDATE workers SET last_heartbeat = now() WHERE status = 'ALIVE'");
    }

    /** Jobs left between phases (the coordinator stopped after MAP_COMPLETED). */
    public List<UUID> jobsAt(JobStatus status) {
        return jdbc.queryForList("SELECT job_id FROM jobs WHERE status = ?", UUID.class, status.name());
    }

    /** The reduce commit of a partition: attempt and rows. */
    public Optional<long[]> reduceCommitRow(UUID jobId, int partition) {
        return jdbc
                .query(
                        "SELECT attempt, output_rows FROM reduce_commits WHERE job_id = ? AND partition = ?",
                        (rs, n) -> new long[] {rs.getInt(1), rs.getLong(2)},
                        jobId,
                        partition)
                .stream()
                .findFirst();
    }

    /** Cancels a running job: its live attempts are killed, its unfinished tasks cancelled, its rows deleted. */
    public void cancelJob(UUID jobId) {
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
    public void deleteJob(UUID jobId) {
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
    public void finishQueryResults(UUID jobId, SqlQuery query) {
        if (query.limit() >= 0 || query.offset() > 0) {
            jdbc.update(
                    QueryResults.CUT_TO_LIMIT, jobId, jobId, query.limit() < 0 ? null : query.limit(), query.offset());
        }
        jdbc.execute(QueryResults.createView(jobId, query.columns()));
    }

    /** Moves the job to {@code to} if it is in one of {@code from}; returns whether it moved. */
    public boolean moveJob(UUID jobId, JobStatus to, JobStatus... from) {
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
    public void failJob(UUID jobId, String error) {
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

    public Instant createdAt(UUID jobId) {
        return jdbc.queryForObject("SELECT created_at FROM jobs WHERE job_id = ?", Timestamp.class, jobId)
                .toInstant();
    }

    public static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public static String json(Object value) {
        return new String(Messages.encode(value), StandardCharsets.UTF_8);
    }
}
