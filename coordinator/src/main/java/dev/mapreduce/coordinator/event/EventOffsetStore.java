package dev.mapreduce.coordinator.event;

import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The statements on {@code event_offsets}: the position of the next task event to apply, written in
 * the transaction that applies the events before it, so each event is applied exactly once.
 */
@Repository
public class EventOffsetStore {

    private final JdbcTemplate jdbc;

    public EventOffsetStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The position of the next task event to apply, locked; -1 if none was applied yet from this
     * incarnation of the topic ({@code topicId}: Kafka's id of the topic, new when it is recreated).
     */
    long lockEventOffset(String topic, int partition, String topicId) {
        // the upsert locks the row as FOR UPDATE would, and starts again at -1 for a new incarnation
        return jdbc.queryForObject(
                """
                INSERT INTO event_offsets AS o (topic, partition, next_offset, topic_id) VALUES (?, ?, -1, ?)
                ON CONFLICT (topic, partition) DO UPDATE
                    SET next_offset = CASE WHEN o.topic_id IS DISTINCT FROM excluded.topic_id THEN -1 ELSE o.next_offset END,
                        topic_id = excluded.topic_id
                RETURNING next_offset
                """,
                Long.class,
                topic,
                partition,
                topicId);
    }

    /** Where to start reading: the stored position if it belongs to this incarnation of the topic, else -1. */
    public long eventOffset(String topic, int partition, String topicId) {
        return jdbc
                .queryForList(
                        "SELECT next_offset FROM event_offsets WHERE topic = ? AND partition = ? AND topic_id = ?",
                        Long.class,
                        topic,
                        partition,
                        topicId)
                .stream()
                .findFirst()
                .orElse(-1L);
    }

    /**
     * SQL condition, true when the time in {@code column} is older than a timeout by the event log's
     * clock as the leader sees it: its event consumer reached the end of the log more than the timeout
     * after that time, and has kept reaching it without a break for at least a grace period. A worker's
     * heartbeat or report the coordinator could not yet have applied (its consumer behind, paused, or
     * cut off from Kafka) thus never makes it look silent. Parameters, in order: the event topic, the
     * grace (seconds), the timeout (seconds).
     */
    public static String olderByTheEventLog(String column) {
        return "EXISTS (SELECT 1 FROM event_offsets o WHERE o.topic = ?"
                + " AND o.caught_up_since <= now() - make_interval(secs => ?)"
                + " AND " + column + " < o.caught_up_at - make_interval(secs => ?))";
    }

    /**
     * Records that the event consumer had applied every event in the log {@code ago} ago, and had done
     * so without a break since {@code sinceAgo} ago (durations, so the database's clock is the only one).
     */
    void caughtUp(String topic, int partition, String topicId, Duration ago, Duration sinceAgo) {
        // before the first event is applied, a row that says so (-1), as lockEventOffset would write
        jdbc.update(
                """
                INSERT INTO event_offsets (topic, partition, next_offset, topic_id, caught_up_at, caught_up_since)
                VALUES (?, ?, -1, ?, now() - make_interval(secs => ?), now() - make_interval(secs => ?))
                ON CONFLICT (topic, partition) DO UPDATE
                    SET caught_up_at = excluded.caught_up_at, caught_up_since = excluded.caught_up_since
                """,
                topic,
                partition,
                topicId,
                ago.toNanos() / 1e9,
                sinceAgo.toNanos() / 1e9);
    }

    void setEventOffset(String topic, int partition, long next) {
        jdbc.update(
                "UPDATE event_offsets SET next_offset = ? WHERE topic = ? AND partition = ?", next, topic, partition);
    }
}
