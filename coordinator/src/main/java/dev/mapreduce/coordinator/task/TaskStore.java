package dev.mapreduce.coordinator.task;

import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskType;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The statements on {@code tasks}: a job's map and reduce tasks, their scheduling state and
 * counters. Callers hold the transaction; those that change a task hold the scheduling lock.
 */
@Repository
public class TaskStore {

    /** A task's scheduling state, locked for update. */
    public record TaskRow(
            TaskStatus status, int currentAttempt, Integer committedAttempt, int failures, List<String> avoid) {}

    private final JdbcTemplate jdbc;

    public TaskStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a new job's map tasks. They wait for a dispatch slot behind the job's cursor, with
     * attempt 1 to come.
     */
    public void insertMapTasks(UUID jobId, List<MapInput> splits) {
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
    public void insertReduceTasks(UUID jobId, int numReducers) {
        List<Object[]> tasks = new ArrayList<>();
        for (int p = 0; p < numReducers; p++) {
            tasks.add(new Object[] {jobId, p});
        }
        jdbc.batchUpdate(
                "INSERT INTO tasks (job_id, task_type, task_index, status) VALUES (?, 'REDUCE', ?, 'PENDING')", tasks);
    }

    /** One map task's input: offset ranges or file splits, as its job reads. */
    public MapInput mapInput(JobRow job, int index) {
        String json = jdbc.queryForObject(
                "SELECT input FROM tasks WHERE job_id = ? AND task_type = 'MAP' AND task_index = ?",
                String.class,
                job.jobId(),
                index);
        return MapInput.decode(json, job.readsFiles());
    }

    /** The committed attempt of every map task, by task index. */
    public List<MapRunRef> committedMaps(UUID jobId) {
        return jdbc.query(
                "SELECT task_index, committed_attempt FROM tasks WHERE job_id = ? AND task_type = 'MAP'"
                        + " ORDER BY task_index",
                (rs, n) -> new MapRunRef(rs.getInt(1), rs.getInt(2)),
                jobId);
    }

    public Optional<TaskRow> lockTask(UUID jobId, TaskType type, int index) {
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

    /**
     * The task waits for a dispatch slot from {@code readyAt} on (a retry after its backoff), or,
     * if that is null, for its inputs (a reduce task whose map output is being recomputed).
     */
    public void taskPending(UUID jobId, TaskType type, int index, Instant readyAt) {
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

    /** Tasks of a phase: how many, how many completed, and the median run time of completed attempts. */
    public double[] phaseProgress(UUID jobId, TaskType type) {
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
     * The first malformed records of the job's committed map attempts, in task order, at most
     * {@link MalformedRecords#MAX_SAMPLES}.
     */
    public List<MalformedRecords.Sample> malformedSamples(UUID jobId) {
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
        FormatSpec format = JobRow.format((String) row.get("format"));
        return MalformedRecords.failure(
                format.type() == null ? "default" : format.type(), read, malformed, ratio, malformedSamples(jobId));
    }
}
