package dev.mapreduce.coordinator.event;

import dev.mapreduce.coordinator.task.TaskStatus;
import dev.mapreduce.coordinator.task.TaskTransitions;
import dev.mapreduce.protocol.AttemptCounters;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * A task row as an {@link EventBatch} holds it: the fields the common events change, changed only through
 * {@link TaskTransitions}, and whether it changed since the batch last wrote it.
 */
public final class HeldTask {
    final TaskKey key;
    public TaskStatus status;
    Integer committedAttempt;
    Timestamp startedAt;
    Timestamp completedAt;
    AttemptCounters counters;
    String error;
    boolean dirty;

    private HeldTask(TaskKey key) {
        this.key = key;
    }

    /** The row of {@link EventBatchSql#TASKS}. */
    static HeldTask read(ResultSet rs) throws SQLException {
        HeldTask t = new HeldTask(EventBatchSql.key(rs));
        t.status = TaskStatus.of(rs.getString(4));
        t.committedAttempt = (Integer) rs.getObject(5);
        t.startedAt = rs.getTimestamp(6);
        t.completedAt = rs.getTimestamp(7);
        t.counters = EventBatchSql.counters(rs, 8);
        t.error = rs.getString(15);
        return t;
    }

    /** One of its attempts started: a waiting task runs from now on. */
    void attemptStarted(Instant at) {
        if (status == TaskStatus.PENDING) {
            status = TaskTransitions.taskMove(status, TaskStatus.RUNNING);
            if (startedAt == null) {
                startedAt = Timestamp.from(at);
            }
            dirty = true;
        }
    }

    /** Completed by {@code attempt} (again, when a reduce's commit is reconciled). Returns whether it was before. */
    boolean complete(int attempt, AttemptCounters counters, Timestamp now) {
        boolean wasCompleted = status == TaskStatus.COMPLETED;
        status = wasCompleted ? status : TaskTransitions.taskMove(status, TaskStatus.COMPLETED);
        committedAttempt = attempt;
        completedAt = now;
        this.counters = counters;
        error = null;
        dirty = true;
        return wasCompleted;
    }
}
