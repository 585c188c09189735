package dev.mapreduce.coordinator.dispatch;

import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.protocol.TaskType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The SQL of the dispatch pass: free slots, the waiting line, new attempts. A task waits for a slot
 * in one of two ways. A task that never had an attempt waits behind its job's cursor
 * ({@code jobs.next_map_task}, {@code next_reduce_task}: every task of that type from that index on
 * waits for its first attempt), so a job's backlog costs no index entry and no write until its turn.
 * A task that must run again (a retry, a lost worker's task, a lost map output) waits with a
 * {@code ready_at}, in the small {@code tasks_ready} index, and goes before its job's new tasks.
 * Every statement finds rows through an index whatever the planner's statistics say (the index is
 * the only way to the order asked, or each key is a LATERAL lookup), so a job's tasks are never
 * scanned in full. The caller holds the scheduling lock: no one else writes these rows meanwhile.
 */
@Repository
public class DispatchStore {

    /** The live workers of the type (first row, no job), then the attempts in flight of each job. */
    private static final String SLOTS =
            """
            SELECT NULL::uuid, count(*) FROM workers WHERE status = 'ALIVE' AND worker_type = ?
            UNION ALL
            SELECT job_id, count(*) FROM task_attempts
            WHERE status IN %s AND finished_at IS NULL AND task_type = ?
            GROUP BY job_id
            """
                    .formatted(AttemptStatus.LIVE_SQL);

    /**
     * The waiting line of every running job: tasks to run again whose time has come (with their
     * ready_at), then, from its cursor on, tasks that never had an attempt (ready_at NULL).
     */
    private static final String WAITING =
            """
            SELECT t.job_id, j.created_at, t.task_index, t.ready_at
            FROM (SELECT job_id, task_index, ready_at FROM tasks
                  WHERE ready_at <= now() AND task_type = ? AND status = 'PENDING'
                  ORDER BY ready_at, task_index LIMIT 10000) t
            JOIN jobs j USING (job_id)
            WHERE j.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
            UNION ALL
            SELECT j.job_id, j.created_at, t.task_index, NULL
            FROM jobs j CROSS JOIN LATERAL (
                SELECT t.task_index FROM tasks t
                WHERE t.job_id = j.job_id AND t.task_type = ? AND t.status = 'PENDING'
                  AND t.task_index >= CASE WHEN ? = 'MAP' THEN j.next_map_task ELSE j.next_reduce_task END
                ORDER BY t.task_index
                LIMIT ?) t
            WHERE j.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
            """;

    /** Jobs among some whose map phase is not done (a lost map output is being computed again). */
    private static final String MAPS_UNFINISHED =
            """
            SELECT DISTINCT job_id FROM tasks
            WHERE job_id = ANY (?::uuid[]) AND task_type = 'MAP' AND status <> 'COMPLETED' AND committed_attempt IS NULL
            """;

    /** What a new attempt's message needs: the task's input and workers to avoid, and its job. */
    private static final String NEW_ATTEMPTS = "SELECT n.task_index, n.attempt, n.input, n.avoid_workers, "
            + JobRow.COLUMNS + " FROM n JOIN jobs j USING (job_id)";

    /**
     * Takes tasks to run again out of the line and creates their next attempts. Each is found by key
     * (a LATERAL lookup) and updated by its address.
     */
    private static final String CREATE_AGAIN =
            """
            WITH n AS (
                UPDATE tasks t SET current_attempt = t.current_attempt + 1, ready_at = NULL
                FROM unnest(?::uuid[], ?::int[]) AS p (job_id, task_index)
                CROSS JOIN LATERAL (
                    SELECT x.ctid AS row FROM tasks x
                    WHERE x.job_id = p.job_id AND x.task_type = ? AND x.task_index = p.task_index
                    OFFSET 0) k
                WHERE t.ctid = k.row
                RETURNING t.job_id, t.task_index, t.current_attempt AS attempt, t.input::text AS input, t.avoid_workers),
            created AS (
                INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status)
                SELECT job_id, ?, task_index, attempt, 'QUEUED' FROM n)
            """
                    + NEW_ATTEMPTS;

    /**
     * Creates the first attempts of tasks right from their jobs' cursors on, and moves the cursors
     * past them; the tasks themselves are not written.
     */
    private static final String CREATE_FIRST =
            """
            WITH p AS (SELECT * FROM unnest(?::uuid[], ?::int[]) AS p (job_id, task_index)),
            n AS (
                SELECT x.* FROM p CROSS JOIN LATERAL (
                    SELECT x.job_id, x.task_index, x.current_attempt AS attempt, x.input::text AS input, x.avoid_workers
                    FROM tasks x
                    WHERE x.job_id = p.job_id AND x.task_type = ? AND x.task_index = p.task_index
                    OFFSET 0) x),
            moved AS (
                UPDATE jobs j SET next_map_task = CASE WHEN ? = 'MAP' THEN c.next ELSE j.next_map_task END,
                                  next_reduce_task = CASE WHEN ? = 'REDUCE' THEN c.next ELSE j.next_reduce_task END
                FROM (SELECT job_id, max(task_index) + 1 AS next FROM p GROUP BY job_id) c
                WHERE j.job_id = c.job_id),
            created AS (
                INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status)
                SELECT job_id, ?, task_index, attempt, 'QUEUED' FROM n)
            """
                    + NEW_ATTEMPTS;

    private static final String ANY_WAITING =
            """
            SELECT EXISTS (
                SELECT 1 FROM tasks t JOIN jobs j USING (job_id)
                WHERE t.job_id = ? AND t.task_type = ? AND t.status = 'PENDING'
                  AND (t.ready_at IS NOT NULL
                       OR t.task_index >= CASE WHEN ? = 'MAP' THEN j.next_map_task ELSE j.next_reduce_task END))
            """;

    /** The live workers of a type, and the attempts of that type in flight, by job. */
    record Slots(int liveWorkers, Map<UUID, Integer> inFlight) {

        int inFlightTotal() {
            return inFlight.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** A job's waiting tasks in the order they get slots: those to run again first, then new ones. */
    record Line(UUID jobId, Instant createdAt, List<Integer> again, List<Integer> first) {

        List<Integer> all() {
            List<Integer> all = new ArrayList<>(again);
            all.addAll(first);
            return all;
        }
    }

    /** A new attempt, with its job and what its message needs. */
    record NewAttempt(JobRow job, int index, int attempt, String input, List<String> avoid) {}

    private final JdbcTemplate jdbc;

    public DispatchStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Slots slots(TaskType type) {
        int[] workers = {0};
        Map<UUID, Integer> inFlight = new HashMap<>();
        jdbc.query(
                SLOTS,
                rs -> {
                    UUID job = rs.getObject(1, UUID.class);
                    if (job == null) {
                        workers[0] = rs.getInt(2);
                    } else {
                        inFlight.put(job, rs.getInt(2));
                    }
                },
                type.name(),
                type.name());
        return new Slots(workers[0], inFlight);
    }

    /** The waiting line of every running job with tasks waiting, at most {@code perJob} of each kind. */
    List<Line> waiting(TaskType type, int perJob) {
        record Waiting(int index, Timestamp readyAt) {}
        Map<UUID, Instant> created = new LinkedHashMap<>();
        Map<UUID, List<Waiting>> again = new HashMap<>();
        Map<UUID, List<Integer>> first = new HashMap<>();
        jdbc.query(
                WAITING,
                rs -> {
                    UUID job = rs.getObject(1, UUID.class);
                    created.putIfAbsent(job, rs.getTimestamp(2).toInstant());
                    Timestamp readyAt = rs.getTimestamp(4);
                    if (readyAt != null) {
                        again.computeIfAbsent(job, k -> new ArrayList<>()).add(new Waiting(rs.getInt(3), readyAt));
                    } else {
                        first.computeIfAbsent(job, k -> new ArrayList<>()).add(rs.getInt(3));
                    }
                },
                type.name(),
                type.name(),
                type.name(),
                perJob);
        List<Line> lines = new ArrayList<>();
        created.forEach((job, at) -> lines.add(new Line(
                job,
                at,
                again.getOrDefault(job, List.of()).stream()
                        .sorted(Comparator.comparing(Waiting::readyAt).thenComparingInt(Waiting::index))
                        .limit(perJob)
                        .map(Waiting::index)
                        .toList(),
                first.getOrDefault(job, List.of()).stream().sorted().toList())));
        return lines;
    }

    /** Those of {@code jobIds} whose map phase is not done. */
    Set<UUID> mapsUnfinished(Collection<UUID> jobIds) {
        return new HashSet<>(jdbc.queryForList(MAPS_UNFINISHED, UUID.class, (Object) ids(jobIds)));
    }

    /** Creates the next attempt of each task to run again. */
    List<NewAttempt> createAgain(TaskType type, List<FairShare.Pick> picks) {
        if (picks.isEmpty()) {
            return List.of();
        }
        return jdbc.query(
                CREATE_AGAIN,
                newAttempts(),
                ids(picks.stream().map(FairShare.Pick::jobId).toList()),
                picks.stream().map(FairShare.Pick::taskIndex).toArray(Integer[]::new),
                type.name(),
                type.name());
    }

    /**
     * Creates the first attempt of each task and moves the jobs' cursors past them; {@code picks}
     * of each job are the tasks right from its cursor on.
     */
    List<NewAttempt> createFirst(TaskType type, List<FairShare.Pick> picks) {
        if (picks.isEmpty()) {
            return List.of();
        }
        return jdbc.query(
                CREATE_FIRST,
                newAttempts(),
                ids(picks.stream().map(FairShare.Pick::jobId).toList()),
                picks.stream().map(FairShare.Pick::taskIndex).toArray(Integer[]::new),
                type.name(),
                type.name(),
                type.name(),
                type.name());
    }

    /** Whether a task of the job waits for a slot. */
    boolean anyWaiting(UUID jobId, TaskType type) {
        return Boolean.TRUE.equals(jdbc.queryForObject(ANY_WAITING, Boolean.class, jobId, type.name(), type.name()));
    }

    /** Reads new attempts, decoding each job's row once. */
    private static org.springframework.jdbc.core.RowMapper<NewAttempt> newAttempts() {
        Map<UUID, JobRow> jobs = new HashMap<>();
        return (rs, n) -> {
            JobRow job = jobs.get(rs.getObject("job_id", UUID.class));
            if (job == null) {
                job = JobRow.read(rs, n);
                jobs.put(job.jobId(), job);
            }
            return new NewAttempt(job, rs.getInt("task_index"), rs.getInt("attempt"), rs.getString("input"), avoid(rs));
        };
    }

    private static List<String> avoid(ResultSet rs) throws SQLException {
        return Arrays.asList((String[]) rs.getArray("avoid_workers").getArray());
    }

    /** Job ids as a text array, for {@code ?::uuid[]}: the driver cannot bind a {@code UUID[]}. */
    static String[] ids(Collection<UUID> jobIds) {
        return jobIds.stream().map(UUID::toString).toArray(String[]::new);
    }
}
