package dev.mapreduce.coordinator.event;

import dev.mapreduce.coordinator.UnnestColumns;
import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The statements of an {@link EventBatch}, with the column readers its rows ({@link HeldTask#read}, {@link
 * HeldAttempt#read}) share beside them: a few reads that find and lock a run of
 * events' rows by key, and one write per table with the columns it writes.
 */
final class EventBatchSql {

    // Rows are found by key with a LATERAL subquery per key, which the planner cannot turn into a
    // join over whole tables (FOR UPDATE, or OFFSET 0, keeps it from being flattened): each key is
    // one index lookup, however many tasks the tables hold and whatever their statistics say.

    static final String JOBS = "SELECT " + JobRow.COLUMNS + ", now() AS now"
            + " FROM jobs WHERE job_id = ANY (?::uuid[]) ORDER BY job_id FOR UPDATE";

    /** The tasks, locked in the order of the keys (sorted). */
    static final String TASKS =
            """
            SELECT t.*
            FROM unnest(?::uuid[], ?::text[], ?::int[]) AS k (job_id, task_type, task_index)
            CROSS JOIN LATERAL (
                SELECT t.job_id, t.task_type, t.task_index, t.status, t.committed_attempt, t.started_at,
                       t.completed_at, t.records_read, t.malformed_records, t.map_output_records,
                       t.combine_output_records, t.shuffle_bytes, t.reduce_input_records, t.output_records, t.error
                FROM tasks t
                WHERE t.job_id = k.job_id AND t.task_type = k.task_type AND t.task_index = k.task_index
                FOR UPDATE) t
            """;

    static final String ATTEMPTS =
            """
            SELECT a.*
            FROM unnest(?::uuid[], ?::text[], ?::int[]) AS k (job_id, task_type, task_index)
            CROSS JOIN LATERAL (
                SELECT a.job_id, a.task_type, a.task_index, a.attempt, a.status, a.worker_id, a.started_at,
                       a.finished_at, a.records_read, a.malformed_records, a.map_output_records,
                       a.combine_output_records, a.shuffle_bytes, a.reduce_input_records, a.output_records, a.error
                FROM task_attempts a
                WHERE a.job_id = k.job_id AND a.task_type = k.task_type AND a.task_index = k.task_index
                OFFSET 0) a
            """;

    /**
     * Per job and type, how many of its tasks are not completed, counted up to {@code cap}: a
     * batch with n of its tasks only needs to know whether the count is at most n.
     */
    static final String UNFINISHED =
            """
            SELECT k.job_id, k.task_type,
                   (SELECT count(*) FROM (SELECT 1 FROM tasks t
                                          WHERE t.job_id = k.job_id AND t.task_type = k.task_type
                                            AND t.status <> 'COMPLETED' AND t.committed_attempt IS NULL
                                          LIMIT k.cap) u)
            FROM unnest(?::uuid[], ?::text[], ?::int[]) AS k (job_id, task_type, cap)
            """;

    static final String REDUCE_COMMITS =
            """
            SELECT c.*
            FROM unnest(?::uuid[], ?::int[]) AS k (job_id, partition)
            CROSS JOIN LATERAL (
                SELECT c.job_id, c.partition, c.attempt FROM reduce_commits c
                WHERE c.job_id = k.job_id AND c.partition = k.partition
                OFFSET 0) c
            """;

    // Writes: one statement per table. Each row is found as the reads find it, by key in a LATERAL
    // subquery, and updated by its physical address (ctid), which nothing else can change meanwhile:
    // every writer of tasks and task_attempts holds the scheduling lock.

    static final String WRITE_TASKS =
            """
            UPDATE tasks t SET status = w.status, started_at = timestamptz 'epoch' + w.started_at * interval '1 microsecond',
                completed_at = timestamptz 'epoch' + w.completed_at * interval '1 microsecond',
                committed_attempt = w.committed_attempt, records_read = w.records_read,
                malformed_records = w.malformed_records, map_output_records = w.map_output_records,
                combine_output_records = w.combine_output_records, shuffle_bytes = w.shuffle_bytes,
                reduce_input_records = w.reduce_input_records, output_records = w.output_records, error = w.error
            FROM unnest(?::uuid[], ?::text[], ?::int[], ?::text[], ?::bigint[], ?::bigint[], ?::int[],
                        ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                        ?::text[])
                AS w (job_id, task_type, task_index, status, started_at, completed_at, committed_attempt,
                      records_read, malformed_records, map_output_records, combine_output_records, shuffle_bytes,
                      reduce_input_records, output_records, error)
            CROSS JOIN LATERAL (
                SELECT x.ctid AS row FROM tasks x
                WHERE x.job_id = w.job_id AND x.task_type = w.task_type AND x.task_index = w.task_index
                OFFSET 0) k
            WHERE t.ctid = k.row
            """;

    static final String WRITE_ATTEMPTS =
            """
            UPDATE task_attempts a SET status = w.status, worker_id = w.worker_id,
                started_at = timestamptz 'epoch' + w.started_at * interval '1 microsecond',
                finished_at = timestamptz 'epoch' + w.finished_at * interval '1 microsecond', records_read = w.records_read, malformed_records = w.malformed_records,
                map_output_records = w.map_output_records, combine_output_records = w.combine_output_records,
                shuffle_bytes = w.shuffle_bytes, reduce_input_records = w.reduce_input_records,
                output_records = w.output_records, error = w.error
            FROM unnest(?::uuid[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::text[])
                AS w (job_id, task_type, task_index, attempt, status, worker_id, started_at, finished_at,
                      records_read, malformed_records, map_output_records, combine_output_records, shuffle_bytes,
                      reduce_input_records, output_records, error)
            CROSS JOIN LATERAL (
                SELECT x.ctid AS row FROM task_attempts x
                WHERE x.job_id = w.job_id AND x.task_type = w.task_type AND x.task_index = w.task_index
                  AND x.attempt = w.attempt
                OFFSET 0) k
            WHERE a.ctid = k.row
            """;

    /**
     * The workers that reported are alive. A worker's row is written at most once a second this
     * way (its heartbeats write it too): a busy worker's events do not each rewrite it.
     */
    static final String SEEN_WORKERS =
            """
            INSERT INTO workers AS w (worker_id, worker_type) SELECT * FROM unnest(?::text[], ?::text[])
            ON CONFLICT (worker_id) DO UPDATE SET last_heartbeat = now(), status = 'ALIVE'
            WHERE w.status <> 'ALIVE' OR w.last_heartbeat < now() - interval '1 second'
            """;

    static TaskKey key(ResultSet rs) throws SQLException {
        return new TaskKey(rs.getObject(1, UUID.class), TaskType.valueOf(rs.getString(2)), rs.getInt(3));
    }

    static AttemptCounters counters(ResultSet rs, int first) throws SQLException {
        return new AttemptCounters(
                rs.getLong(first),
                rs.getLong(first + 1),
                rs.getLong(first + 2),
                rs.getLong(first + 3),
                rs.getLong(first + 4),
                rs.getLong(first + 5),
                rs.getLong(first + 6));
    }

    /** The columns of {@link #WRITE_TASKS}: the tasks changed since the last flush, marked clean. */
    static UnnestColumns dirtyTasks(Collection<HeldTask> tasks) {
        UnnestColumns t = new UnnestColumns();
        for (HeldTask task : tasks) {
            if (task.dirty) {
                t.key(task.key)
                        .add(task.status)
                        .add(task.startedAt)
                        .add(task.completedAt)
                        .add(task.committedAttempt)
                        .add(task.counters)
                        .add(task.error)
                        .row();
                task.dirty = false;
            }
        }
        return t;
    }

    /** The columns of {@link #WRITE_ATTEMPTS}: the attempts changed since the last flush, marked clean. */
    static UnnestColumns dirtyAttempts(Map<TaskKey, TreeMap<Integer, HeldAttempt>> attempts) {
        UnnestColumns a = new UnnestColumns();
        attempts.forEach((key, of) -> {
            for (HeldAttempt attempt : of.values()) {
                if (attempt.dirty) {
                    a.key(key)
                            .add(attempt.number)
                            .add(attempt.status)
                            .add(attempt.workerId)
                            .add(attempt.startedAt)
                            .add(attempt.finishedAt)
                            .add(attempt.counters)
                            .add(attempt.error)
                            .row();
                    attempt.dirty = false;
                }
            }
        });
        return a;
    }

    private EventBatchSql() {}
}
