package dev.mapreduce.reduceworker;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.task.ReduceTask;
import dev.mapreduce.engine.task.TaskCounters;
import dev.mapreduce.protocol.TaskMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Reduces one partition straight into PostgreSQL in one transaction that also claims the
 * partition's {@code reduce_commits} row. The row's primary key lets one attempt per partition
 * commit; a later attempt finds it taken and writes nothing, so a re-run never duplicates rows.
 */
final class ResultCommitter {

    private static final String CLAIM_PARTITION =
            """
            INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows)
            VALUES (?, ?, ?, ?, 0)
            ON CONFLICT DO NOTHING
            """;

    private static final String COPY_RESULTS = "COPY results (job_id, result_key, result_value) FROM STDIN";

    private static final String RECORD_OUTPUT_ROWS =
            """
            UPDATE reduce_commits SET output_rows = ?
            WHERE job_id = ? AND partition = ?
            """;

    private final DataSource dataSource;

    ResultCommitter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Merges and reduces {@code runs} into the results of the task's job and commits them.
     *
     * @throws TaskFailure.Superseded if another attempt of the partition committed first
     */
    TaskCounters commit(TaskMessage task, String workerId, ReduceFunction function, List<byte[]> runs)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!claim(connection, task, workerId)) {
                    throw new TaskFailure.Superseded("superseded: partition " + task.taskIndex() + " of job "
                            + task.jobId() + " was already committed");
                }
                TaskCounters counters = copyResults(connection, task, function, runs);
                recordOutputRows(connection, task, counters.outputRecords());
                connection.commit();
                return counters;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static boolean claim(Connection connection, TaskMessage task, String workerId) throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement(CLAIM_PARTITION)) {
            claim.setObject(1, task.jobId());
            claim.setInt(2, task.taskIndex());
            claim.setInt(3, task.attempt());
            claim.setString(4, workerId);
            return claim.executeUpdate() == 1;
        }
    }

    private static TaskCounters copyResults(
            Connection connection, TaskMessage task, ReduceFunction function, List<byte[]> runs) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_RESULTS);
        boolean copied = false;
        try {
            CopyRows rows = new CopyRows(copy, function, task.jobId(), task.taskIndex());
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
    private static void cancelQuietly(CopyIn copy) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            // the rollback that follows discards everything the COPY sent
        }
    }

    private static void recordOutputRows(Connection connection, TaskMessage task, long rows) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RECORD_OUTPUT_ROWS)) {
            update.setLong(1, rows);
            update.setObject(2, task.jobId());
            update.setInt(3, task.taskIndex());
            update.executeUpdate();
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
