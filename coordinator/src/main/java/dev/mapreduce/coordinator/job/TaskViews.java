package dev.mapreduce.coordinator.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads a job's tasks and their attempts as users see them. A map task's records read and output
 * are what it read from its input and wrote to the shuffle; a reduce task's, the shuffle entries
 * it merged and the result rows it wrote.
 */
@Repository
class TaskViews {

    /** The tasks of one job, MAP 0…n then REDUCE 0…m. */
    record JobTasks(UUID jobId, List<Task> tasks) {}

    record Task(
            String type,
            int index,
            String status,
            String input,
            int currentAttempt,
            Integer committedAttempt,
            int failures,
            Instant startedAt,
            Instant completedAt,
            Long durationMs,
            long recordsRead,
            long outputRecords,
            String error,
            List<Attempt> attempts) {}

    record Attempt(
            int attempt,
            String status,
            String workerId,
            boolean speculative,
            Instant queuedAt,
            Instant startedAt,
            Instant finishedAt,
            Long durationMs,
            long recordsRead,
            long malformedRecords,
            long outputRecords,
            long shuffleBytes,
            String error) {}

    private static final String TASKS =
            """
            SELECT t.*, j.input_topic FROM tasks t JOIN jobs j USING (job_id)
            WHERE t.job_id = ? ORDER BY t.task_type, t.task_index
            """;

    private static final String ATTEMPTS =
            """
            SELECT * FROM task_attempts WHERE job_id = ? ORDER BY task_type, task_index, attempt
            """;

    private final JdbcTemplate jdbc;

    TaskViews(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The job's tasks; empty if there is no such job. */
    Optional<JobTasks> find(UUID jobId) {
        Integer jobs = jdbc.queryForObject("SELECT count(*) FROM jobs WHERE job_id = ?", Integer.class, jobId);
        if (jobs == null || jobs == 0) {
            return Optional.empty();
        }
        Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
        jdbc.query(
                ATTEMPTS,
                rs -> {
                    attempts.computeIfAbsent(
                                    rs.getString("task_type") + rs.getInt("task_index"), k -> new ArrayList<>())
                            .add(attempt(rs));
                },
                jobId);
        List<Task> tasks = jdbc.query(
                TASKS,
                (rs, n) ->
                        task(rs, attempts.getOrDefault(rs.getString("task_type") + rs.getInt("task_index"), List.of())),
                jobId);
        return Optional.of(new JobTasks(jobId, tasks));
    }

    private static Task task(ResultSet rs, List<Attempt> attempts) throws SQLException {
        boolean map = "MAP".equals(rs.getString("task_type"));
        Instant started = instant(rs.getTimestamp("started_at"));
        Instant completed = instant(rs.getTimestamp("completed_at"));
        return new Task(
                rs.getString("task_type"),
                rs.getInt("task_index"),
                rs.getString("status"),
                map
                        ? mapInput(rs.getString("input_topic"), rs.getString("input"))
                        : "partition " + rs.getInt("task_index"),
                rs.getInt("current_attempt"),
                (Integer) rs.getObject("committed_attempt"),
                rs.getInt("failures"),
                started,
                completed,
                millisBetween(started, completed),
                rs.getLong(map ? "records_read" : "reduce_input_records"),
                rs.getLong(map ? "combine_output_records" : "output_records"),
                rs.getString("error"),
                attempts);
    }

    private static Attempt attempt(ResultSet rs) throws SQLException {
        boolean map = "MAP".equals(rs.getString("task_type"));
        Instant started = instant(rs.getTimestamp("started_at"));
        Instant finished = instant(rs.getTimestamp("finished_at"));
        return new Attempt(
                rs.getInt("attempt"),
                rs.getString("status"),
                rs.getString("worker_id"),
                rs.getBoolean("speculative"),
                instant(rs.getTimestamp("queued_at")),
                started,
                finished,
                millisBetween(started, finished),
                rs.getLong(map ? "records_read" : "reduce_input_records"),
                rs.getLong("malformed_records"),
                rs.getLong(map ? "combine_output_records" : "output_records"),
                rs.getLong("shuffle_bytes"),
                rs.getString("error"));
    }

    /** A map task's input as {@code topic[partition:start-end], …}, or {@code path[start-end], …} for files. */
    static String mapInput(String topic, String input) {
        return MapInput.decode(input, topic == null).describe(topic);
    }

    private static Long millisBetween(Instant from, Instant to) {
        return from == null || to == null ? null : to.toEpochMilli() - from.toEpochMilli();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
