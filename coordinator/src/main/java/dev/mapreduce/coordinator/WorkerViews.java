package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.task.AttemptStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads the workers the coordinator has heard from, with what each runs now. */
@Repository
class WorkerViews {

    record Workers(List<Worker> workers) {}

    /** {@code runningTasks}: the live attempts (QUEUED or RUNNING) the coordinator has on that worker. */
    record Worker(
            String workerId,
            String type,
            String status,
            Instant firstSeen,
            Instant lastHeartbeat,
            long heartbeatAgeMs,
            int runningTasks) {}

    private static final String WORKERS =
            """
            SELECT w.worker_id, w.worker_type, w.status, w.first_seen, w.last_heartbeat,
                   (extract(epoch FROM now() - w.last_heartbeat) * 1000)::bigint AS age_ms,
                   (SELECT count(*) FROM task_attempts a
                    WHERE a.worker_id = w.worker_id AND a.status IN %s
                      AND a.finished_at IS NULL) AS running
            FROM workers w ORDER BY w.worker_type, w.worker_id
            """
                    .formatted(AttemptStatus.LIVE_SQL);

    private final JdbcTemplate jdbc;

    WorkerViews(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Workers all() {
        return new Workers(jdbc.query(
                WORKERS,
                (rs, n) -> new Worker(
                        rs.getString("worker_id"),
                        rs.getString("worker_type"),
                        rs.getString("status"),
                        instant(rs.getTimestamp("first_seen")),
                        instant(rs.getTimestamp("last_heartbeat")),
                        Math.max(0, rs.getLong("age_ms")),
                        rs.getInt("running"))));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
