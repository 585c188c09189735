package dev.mapreduce.reduceworker;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.task.ReduceTask;
import dev.mapreduce.engine.task.TaskCounters;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.TaskCancelledException;
import dev.mapreduce.runtime.TaskFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Reduces one partition into PostgreSQL in one transaction that also claims the partition's
 * {@code reduce_commits} row. The row's primary key lets one attempt per partition commit; a later
 * attempt finds it taken and rolls back, so a re-run never duplicates rows.
 *
 * <p>The rows are copied straight into {@code results} and the partition is claimed only at the
 * very end. {@code results} has no unique key (one committed attempt per partition, and each key in
 * one partition, already make every key of a job unique), so until the claim an attempt holds no
 * lock another attempt of the same partition could wait on: a slow, stalled or stopped attempt
 * never holds up a backup or a re-run, and the rows are written once, not staged and moved. Last,
 * the job row is read {@code FOR SHARE}: the coordinator cancels a job under {@code FOR UPDATE} of
 * that row and deletes its results, so either the cancel waits for this commit and deletes its
 * rows, or this attempt sees the job ended and rolls back. Taking the lock last keeps it for as
 * short a time as possible, since the coordinator locks the job row for every event it applies.
 *
 * <p>Under that lock the attempt must also be one the coordinator recorded as live in
 * {@code task_attempts} (queued or running, not ended): a task message is only a request, and one
 * forged on the task topic, or one for an attempt the coordinator has since given up on (its worker
 * declared dead, its job cancelled), commits nothing. The coordinator ends attempts while holding
 * the job row {@code FOR UPDATE}, so the answer cannot change before this transaction commits.
 */
final class ResultCommitter {

    private static final String JOB_STATUS = "SELECT status FROM jobs WHERE job_id = ?";

    /**
     * The status with the job row locked {@code FOR SHARE}, through a function of the schema's owner:
     * the worker's role may read jobs but not lock their rows itself (that needs UPDATE on jobs).
     */
    private static final String LOCK_JOB_STATUS = "SELECT status FROM lock_job_for_commit(?)";

    private static final String LIVE_ATTEMPT =
            """
            SELECT 1 FROM task_attempts
            WHERE job_id = ? AND task_type = 'REDUCE' AND task_index = ? AND attempt = ?
              AND status IN ('QUEUED', 'RUNNING') AND finished_at IS NULL
            """;

    private static final String COPY_RESULTS = "COPY results (job_id, result_key, result_value) FROM STDIN";

    private static final String CLAIM_PARTITION =
            """
            INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """;

    private static final String COMMITTED_ATTEMPT =
            "SELECT attempt FROM reduce_commits WHERE job_id = ? AND partition = ?";

    private final DataSource dataSource;

    ResultCommitter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Fails fast, before any work, for a job that has ended; the commit checks again under lock.
     *
     * @throws TaskCancelledException if the job is no longer running
     */
    void requireRunning(UUID jobId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            requireRunning(connection, jobId, JOB_STATUS);
        }
    }

    /**
     * Merges and reduces {@code runs} into the results of the task's job and commits them. The
     * runs stream in as they are merged and the rows stream out to PostgreSQL as they are reduced;
     * a run found damaged or missing on the way rolls everything back.
     *
     * @param beforeCommit runs once the rows are copied, before the partition is claimed
     * @throws TaskFailure.Superseded if another attempt of the partition committed first, or the
     *     coordinator has no live record of this attempt (ended, or never dispatched); nothing is committed
     * @throws TaskCancelledException if the attempt was cancelled or the job is no longer running;
     *     nothing is committed
     * @throws dev.mapreduce.engine.shuffle.CorruptRunException if a run is damaged; nothing is committed
     * @throws dev.mapreduce.runtime.MissingRunException if a run vanished while being read; nothing is committed
     */
    TaskCounters commit(
            TaskMessage task,
            String workerId,
            ReduceFunction function,
            List<RunReader> runs,
            Cancellation cancellation,
            Runnable beforeCommit)
            throws SQLException {
        return commit(
                task,
                workerId,
                connection -> copyResults(connection, task, function, runs, cancellation),
                cancellation,
                beforeCommit);
    }

    /**
     * As {@link #commit(TaskMessage, String, ReduceFunction, List, Cancellation, Runnable)} for a
     * query job: the partition's merged aggregate states become rows with named columns
     * ({@link QueryRowCopy}).
     */
    TaskCounters commitQuery(
            TaskMessage task, String workerId, List<RunReader> runs, Cancellation cancellation, Runnable beforeCommit)
            throws SQLException {
        return commit(
                task,
                workerId,
                connection -> QueryRowCopy.copy(connection, task, runs, cancellation),
                cancellation,
                beforeCommit);
    }

    /** Writes a partition's rows inside the attempt's transaction, and counts them. */
    interface Copy {
        TaskCounters into(Connection connection) throws SQLException;
    }

    private TaskCounters commit(
            TaskMessage task, String workerId, Copy copy, Cancellation cancellation, Runnable beforeCommit)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // lets an operator (or the coordinator) see and end a dead worker's session in pg_stat_activity
            connection.setClientInfo("ApplicationName", workerId);
            connection.setAutoCommit(false);
            try {
                TaskCounters counters = copy.into(connection);
                beforeCommit.run();
                cancellation.throwIfCancelled();
                if (!claim(connection, task, workerId, counters.outputRecords())) {
                    if (committedAttempt(connection, task) == task.attempt()) {
                        // this very attempt committed before an outage lost the answer: the same rows are there
                        connection.rollback();
                        return counters;
                    }
                    throw new TaskFailure.Superseded("superseded: partition " + task.taskIndex() + " of job "
                            + task.jobId() + " was already committed");
                }
                requireRunning(connection, task.jobId(), LOCK_JOB_STATUS);
                requireLive(connection, task);
                cancellation.throwIfCancelled();
                connection.commit();
                return counters;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void requireRunning(Connection connection, UUID jobId, String query) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(query)) {
            select.setObject(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskCancelledException("job is gone");
                }
                String status = rs.getString(1);
                if (JobStatus.valueOf(status).isFinal()) {
                    throw new TaskCancelledException("job is " + status);
                }
            }
        }
    }

    private static void requireLive(Connection connection, TaskMessage task) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(LIVE_ATTEMPT)) {
            select.setObject(1, task.jobId());
            select.setInt(2, task.taskIndex());
            select.setInt(3, task.attempt());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new TaskFailure.Superseded("not live: the coordinator has no live attempt " + task.attempt()
                            + " of partition " + task.taskIndex() + " of job " + task.jobId()
                            + " (ended or never dispatched); nothing committed");
                }
            }
        }
    }

    /** The attempt that committed the task's partition, or -1. */
    private static int committedAttempt(Connection connection, TaskMessage task) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(COMMITTED_ATTEMPT)) {
            select.setObject(1, task.jobId());
            select.setInt(2, task.taskIndex());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    private static boolean claim(Connection connection, TaskMessage task, String workerId, long rows)
            throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement(CLAIM_PARTITION)) {
            claim.setObject(1, task.jobId());
            claim.setInt(2, task.taskIndex());
            claim.setInt(3, task.attempt());
            claim.setString(4, workerId);
            claim.setLong(5, rows);
            return claim.executeUpdate() == 1;
        }
    }

    private static TaskCounters copyResults(
            Connection connection,
            TaskMessage task,
            ReduceFunction function,
            List<RunReader> runs,
            Cancellation cancellation)
            throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_RESULTS);
        boolean copied = false;
        try {
            CopyRows rows = new CopyRows(copy, function, task.jobId(), cancellation);
            TaskCounters counters = new ReduceTask(function).run(runs, rows);
            rows.flush();
            long rowCount = copy.endCopy();
            copied = true;
            if (rowCount != counters.outputRecords()) {
                throw new IllegalStateException(
                        "PostgreSQL copied " + rowCount + " rows, the reduce produced " + counters.outputRecords());
            }
            return counters;
        } catch (CopyRows.CopyFailedException e) {
            throw e.getCause();
        } finally {
            if (!copied) {
                cancelQuietly(copy);
            }
        }
    }

    /** Ends a COPY that failed half way, so the transaction can be rolled back. */
    static void cancelQuietly(CopyIn copy) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            // the rollback that follows discards everything the COPY sent
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
