package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.event.EventOffsetStore;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.leader.LeaderElection;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The statements on {@code workers}: who is alive, judged by heartbeats. (A new leader's refresh of
 * every live worker's timeout is {@link JobStore#refreshWorkers()}, which {@link LeaderElection} calls.)
 */
@Repository
public class WorkerStore {

    private final JdbcTemplate jdbc;

    WorkerStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Workers whose last heartbeat is older than {@code timeout} by the event log's clock ({@link
     * EventOffsetStore#olderByTheEventLog}: the leader applied every event sent that long after it, and
     * the log has been readable for {@code timeout} without a break), now marked DEAD. A backlog of
     * events, a Kafka outage or a frozen leader kills no worker that kept sending heartbeats.
     */
    public List<String> expireWorkers(Duration timeout) {
        double seconds = timeout.toMillis() / 1000.0;
        return jdbc.queryForList(
                "UPDATE workers SET status = 'DEAD' WHERE status = 'ALIVE' AND "
                        + EventOffsetStore.olderByTheEventLog("last_heartbeat") + " RETURNING worker_id",
                String.class,
                Topics.TASK_EVENTS,
                seconds,
                seconds);
    }

    /** Records that a worker is alive now; returns whether it had been declared dead. */
    public boolean seenWorker(String workerId, TaskType type) {
        Boolean wasDead = jdbc.queryForObject(
                "INSERT INTO workers AS w (worker_id, worker_type) VALUES (?, ?)"
                        + " ON CONFLICT (worker_id) DO UPDATE SET last_heartbeat = now(), status = 'ALIVE'"
                        + " RETURNING (SELECT status = 'DEAD' FROM workers WHERE worker_id = w.worker_id)",
                Boolean.class,
                workerId,
                type.name());
        return Boolean.TRUE.equals(wasDead);
    }

    /**
     * Records that these workers are alive now, in one statement (a poll's heartbeats); returns
     * those that had been declared dead.
     */
    public List<String> seenWorkers(Map<String, TaskType> workers) {
        return jdbc
                .queryForList(
                        "INSERT INTO workers AS w (worker_id, worker_type) SELECT * FROM unnest(?::text[], ?::text[])"
                                + " ON CONFLICT (worker_id) DO UPDATE SET last_heartbeat = now(), status = 'ALIVE'"
                                + " RETURNING CASE WHEN (SELECT status = 'DEAD' FROM workers WHERE worker_id = w.worker_id)"
                                + " THEN w.worker_id END",
                        String.class,
                        workers.keySet().toArray(String[]::new),
                        workers.values().stream().map(TaskType::name).toArray(String[]::new))
                .stream()
                .filter(Objects::nonNull)
                .toList();
    }
}
