package dev.mapreduce.coordinator.event;

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

    void setEventOffset(String topic, int partition, long next) {
        jdbc.update(
                "UPDATE event_offsets SET next_offset = ? WHERE topic = ? AND partition = ?", next, topic, partition);
    }
}
