package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskType;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
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

/** Every SQL statement on jobs, tasks, task_attempts and workers. Callers hold the transaction. */
@Repository
class JobStore {

    /** A task's scheduling state, locked for update. */
    record TaskRow(String status, int currentAttempt, Integer committedAttempt) {}

    private final JdbcTemplate jdbc;

    JobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insertJob(UUID jobId, JobRequest r, long inputRecords) {
        jdbc.update(
                "INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers, map_function,"
                        + " reduce_function, parameters, combiner, input_records)"
                        + " VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?::jsonb, ?, ?)",
                jobId,
                r.jobName(),
                r.inputTopic(),
                r.numMappers(),
                r.numReducers(),
                r.mapFunction(),
                r.reduceFunction(),
                json(r.parameters()),
                r.combiner(),
                inputRecords);
    }

    void insertMapTasks(UUID jobId, List<List<OffsetRange>> splits) {
        List<Object[]> tasks = new ArrayList<>();
        List<Object[]> attempts = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            long records = splits.get(i).stream().mapToLong(OffsetRange::count).sum();
            tasks.add(new Object[] {jobId, i, json(splits.get(i)), records});
            attempts.add(new Object[] {jobId, "MAP", i});
        }
        jdbc.batchUpdate(
                "INSERT INTO tasks (job_id, task_type, task_index, status, input, input_records)"
                        + " VALUES (?, 'MAP', ?, 'PENDING', ?::jsonb, ?)",
                tasks);
        insertFirstAttempts(attempts);
    }

    void insertReduceTasks(UUID jobId, int numReducers) {
        List<Object[]> tasks = new ArrayList<>();
        List<Object[]> attempts = new ArrayList<>();
        for (int p = 0; p < numReducers; p++) {
            tasks.add(new Object[] {jobId, p});
            attempts.add(new Object[] {jobId, "REDUCE", p});
        }
        jdbc.batchUpdate(
                "INSERT INTO tasks (job_id, task_type, task_index, status) VALUES (?, 'REDUCE', ?, 'PENDING')", tasks);
        insertFirstAttempts(attempts);
    }

    private void insertFirstAttempts(List<Object[]> attempts) {
        jdbc.batchUpdate(
                "INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status) VALUES (?, ?, ?, 1, 'QUEUED')",
                attempts);
    }

    /** The map tasks' input ranges, by task index. */
    List<List<OffsetRange>> mapInputs(UUID jobId) {
        return jdbc.query(
                "SELECT input FROM tasks WHERE job_id = ? AND task_type = 'MAP' ORDER BY task_index",
                (rs, n) -> Arrays.asList(
                        Messages.decode(rs.getString(1).getBytes(StandardCharsets.UTF_8), OffsetRange[].class)),
                jobId);
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
                                + " combiner FROM jobs WHERE job_id = ? FOR UPDATE",
                        JobStore::jobRow,
                        jobId)
                .stream()
                .findFirst();
    }

    Optional<TaskRow> lockTask(UUID jobId, TaskType type, int index) {
        return jdbc
                .query(
                        "SELECT status, current_attempt, committed_attempt FROM tasks"
                                + " WHERE job_id = ? AND task_type = ? AND task_index = ? FOR UPDATE",
                        (rs, n) -> new TaskRow(rs.getString(1), rs.getInt(2), (Integer) rs.getObject(3)),
                        jobId,
                        type.name(),
                        index)
                .stream()
                .findFirst();
    }

    Optional<String> attemptStatus(UUID jobId, TaskType type, int index, int attempt) {
        return jdbc
                .queryForList(
                        "SELECT status FROM task_attempts WHERE job_id = ? AND task_type = ? AND task_index = ?"
                                + " AND attempt = ?",
                        String.class,
                        jobId,
                        type.name(),
                        index,
                        attempt)
                .stream()
                .findFirst();
    }

    /** The attempt that committed reduce partition {@code partition}, if one did. */
    Optional<Integer> reduceCommit(UUID jobId, int partition) {
        return jdbc
                .queryForList(
                        "SELECT attempt FROM reduce_commits WHERE job_id = ? AND partition = ?",
                        Integer.class,
                        jobId,
                        partition)
                .stream()
                .findFirst();
    }

    void seenWorker(String workerId, TaskType type) {
        jdbc.update(
                "INSERT INTO workers (worker_id, worker_type) VALUES (?, ?)"
                        + " ON CONFLICT (worker_id) DO UPDATE SET last_heartbeat = now(), status = 'ALIVE'",
                workerId,
                type.name());
    }

    void attemptStarted(UUID jobId, TaskType type, int index, int attempt, String workerId, Instant at) {
        jdbc.update(
                "UPDATE task_attempts SET status = 'RUNNING', worker_id = ?, started_at = ?"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ? AND attempt = ? AND status = 'QUEUED'",
                workerId,
                Timestamp.from(at),
                jobId,
                type.name(),
                index,
                attempt);
        jdbc.update(
                "UPDATE tasks SET status = 'RUNNING', started_at = coalesce(started_at, ?)"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ? AND status = 'PENDING'",
                Timestamp.from(at),
                jobId,
                type.name(),
                index);
    }

    /** Ends an attempt (unless it already ended) with {@code status}, its counters and error. */
    void attemptFinished(
            UUID jobId,
            TaskType type,
            int index,
            int attempt,
            String workerId,
            String status,
            AttemptCounters c,
            String error,
            Instant at) {
        jdbc.update(
                "UPDATE task_attempts SET status = ?, worker_id = coalesce(worker_id, ?), finished_at = ?,"
                        + " records_read = ?, malformed_records = ?, map_output_records = ?,"
                        + " combine_output_records = ?, shuffle_bytes = ?, reduce_input_records = ?,"
                        + " output_records = ?, error = ?"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ? AND attempt = ?"
                        + " AND status IN ('QUEUED', 'RUNNING')",
                status,
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
                jobId,
                type.name(),
                index,
                attempt);
    }

    void taskCompleted(UUID jobId, TaskType type, int index, int attempt, AttemptCounters c) {
        jdbc.update(
                "UPDATE tasks SET status = 'COMPLETED', committed_attempt = ?, completed_at = now(),"
                        + " records_read = ?, malformed_records = ?, map_output_records = ?,"
                        + " combine_output_records = ?, shuffle_bytes = ?, reduce_input_records = ?,"
                        + " output_records = ?, error = NULL"
                        + " WHERE job_id = ? AND task_type = ? AND task_index = ?",
                attempt,
                c.recordsRead(),
                c.malformedRecords(),
                c.mapOutputRecords(),
                c.combineOutputRecords(),
                c.shuffleBytes(),
                c.reduceInputRecords(),
                c.outputRecords(),
                jobId,
                type.name(),
                index);
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
                "SELECT count(*) FROM tasks WHERE job_id = ? AND task_type = ? AND status <> 'COMPLETED'",
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

    void failJob(UUID jobId, String error) {
        jdbc.update(
                "UPDATE jobs SET status = 'FAILED', completed_at = now(), error = ?"
                        + " WHERE job_id = ? AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')",
                error,
                jobId);
        jdbc.update(
                "UPDATE task_attempts SET status = 'KILLED', finished_at = now()"
                        + " WHERE job_id = ? AND status IN ('QUEUED', 'RUNNING')",
                jobId);
        jdbc.update(
                "UPDATE tasks SET status = 'CANCELLED' WHERE job_id = ? AND status IN ('PENDING', 'RUNNING')", jobId);
    }

    Instant createdAt(UUID jobId) {
        return jdbc.queryForObject("SELECT created_at FROM jobs WHERE job_id = ?", Timestamp.class, jobId)
                .toInstant();
    }

    private static JobRow jobRow(ResultSet rs, int n) throws SQLException {
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
                rs.getBoolean("combiner"));
    }

    static String json(Object value) {
        return new String(Messages.encode(value), StandardCharsets.UTF_8);
    }
}
