package dev.mapreduce.coordinator.monitor;

import dev.mapreduce.coordinator.monitor.ClusterGauges.ClusterState;
import dev.mapreduce.coordinator.monitor.ClusterGauges.WorkerLag;
import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the cluster's state for {@link ClusterGauges} every few seconds, on every replica: three small queries on
 * partial indexes, so a scrape never waits for the database and the database sees one read per interval, however
 * often Prometheus scrapes.
 */
@Component
public class RefreshClusterGauges extends PeriodicDuty {

    static final Duration INTERVAL = Duration.ofSeconds(5);

    /** A dead worker's lag is exported this long after its last heartbeat, then dropped: the worker tag stays bounded. */
    static final Duration DEAD_WORKER_RETENTION = Duration.ofMinutes(10);

    private static final String RUNNING_JOBS =
            "SELECT count(*) FROM jobs WHERE status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')";

    private static final String LIVE_ATTEMPTS =
            """
            SELECT task_type,
                   count(*) FILTER (WHERE status = 'QUEUED') AS waiting,
                   count(*) FILTER (WHERE status = 'RUNNING') AS running
            FROM task_attempts WHERE status IN %s AND finished_at IS NULL
            GROUP BY task_type
            """
                    .formatted(AttemptStatus.LIVE_SQL);

    private static final String WORKERS =
            """
            SELECT worker_id, worker_type, status = 'ALIVE' AS alive,
                   greatest(0, extract(epoch FROM now() - last_heartbeat)) AS lag
            FROM workers
            WHERE status = 'ALIVE' OR last_heartbeat > now() - make_interval(secs => ?)
            """;

    private final JdbcTemplate jdbc;
    private final ClusterGauges gauges;

    RefreshClusterGauges(JdbcTemplate jdbc, ClusterGauges gauges) {
        super("cluster-gauges");
        this.jdbc = jdbc;
        this.gauges = gauges;
    }

    @Override
    protected void tick() {
        refresh();
    }

    /** Reads the state and publishes it; a failure leaves the last values in place. */
    void refresh() {
        survive("read the cluster gauges from PostgreSQL", () -> gauges.publish(read()));
    }

    public ClusterState read() {
        Long runningJobs = jdbc.queryForObject(RUNNING_JOBS, Long.class);
        Map<TaskType, Long> waiting = new EnumMap<>(TaskType.class);
        Map<TaskType, Long> running = new EnumMap<>(TaskType.class);
        jdbc.query(LIVE_ATTEMPTS, rs -> {
            TaskType type = TaskType.valueOf(rs.getString("task_type"));
            waiting.put(type, rs.getLong("waiting"));
            running.put(type, rs.getLong("running"));
        });
        List<WorkerLag> workers = jdbc.query(
                WORKERS,
                (rs, n) -> new WorkerLag(
                        rs.getString("worker_id"),
                        TaskType.valueOf(rs.getString("worker_type")),
                        rs.getBoolean("alive"),
                        rs.getDouble("lag")),
                DEAD_WORKER_RETENTION.toSeconds());
        return new ClusterState(runningJobs == null ? 0 : runningJobs, waiting, running, workers);
    }

    @Override
    public void start() {
        schedule(Duration.ZERO, INTERVAL);
    }
}
