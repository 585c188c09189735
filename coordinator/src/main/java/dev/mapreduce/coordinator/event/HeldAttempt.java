package dev.mapreduce.coordinator.event;

import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.coordinator.task.TaskTransitions;
import dev.mapreduce.protocol.AttemptCounters;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * An attempt row as an {@link EventBatch} holds it, changed only through {@link TaskTransitions}, and whether it
 * changed since the batch last wrote it.
 */
public final class HeldAttempt {
    public final int number;
    public AttemptStatus status;
    String workerId;
    Timestamp startedAt;
    Timestamp finishedAt;
    AttemptCounters counters;
    String error;
    boolean dirty;

    private HeldAttempt(int number) {
        this.number = number;
    }

    /** The row of {@link EventBatchSql#ATTEMPTS}. */
    static HeldAttempt read(ResultSet rs) throws SQLException {
        HeldAttempt a = new HeldAttempt(rs.getInt(4));
        a.status = AttemptStatus.of(rs.getString(5));
        a.workerId = rs.getString(6);
        a.startedAt = rs.getTimestamp(7);
        a.finishedAt = rs.getTimestamp(8);
        a.counters = EventBatchSql.counters(rs, 9);
        a.error = rs.getString(16);
        return a;
    }

    /** Started on {@code workerId} (again: a redelivered attempt moves to its new worker). */
    void start(String workerId, Instant at) {
        status = TaskTransitions.attemptMove(status, AttemptStatus.RUNNING);
        this.workerId = workerId;
        startedAt = Timestamp.from(at);
        dirty = true;
    }

    /** Ended as its worker reported. */
    void finish(String workerId, AttemptStatus to, AttemptCounters counters, String error, Instant at) {
        end(to, error, Timestamp.from(at));
        if (this.workerId == null) {
            this.workerId = workerId;
        }
        this.counters = counters;
    }

    /** Ended at {@code at}: as its worker reported, or for a reason of the coordinator's. */
    void end(AttemptStatus to, String error, Timestamp at) {
        status = TaskTransitions.attemptMove(status, to);
        finishedAt = at;
        this.error = error;
        dirty = true;
    }
}
