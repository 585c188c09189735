package dev.mapreduce.protocol;

import java.time.Instant;
import java.util.UUID;

/**
 * What a worker reports about a task attempt. The coordinator accepts an event only from the
 * attempt it currently trusts; a duplicate or stale event changes nothing.
 */
public record TaskEvent(
        UUID jobId,
        TaskType type,
        int taskIndex,
        int attempt,
        String workerId,
        Kind kind,
        AttemptCounters counters,
        String error,
        Instant at) {

    public enum Kind {
        /** The worker took the attempt and began running it. */
        STARTED,
        /** The attempt finished and its output is stored (map: runs in Redis; reduce: rows committed). */
        SUCCEEDED,
        /** The attempt threw; {@code error} says why. */
        FAILED
    }

    public static TaskEvent started(TaskMessage task, String workerId) {
        return new TaskEvent(
                task.jobId(),
                task.type(),
                task.taskIndex(),
                task.attempt(),
                workerId,
                Kind.STARTED,
                AttemptCounters.NONE,
                null,
                Instant.now());
    }

    public static TaskEvent succeeded(TaskMessage task, String workerId, AttemptCounters counters) {
        return new TaskEvent(
                task.jobId(),
                task.type(),
                task.taskIndex(),
                task.attempt(),
                workerId,
                Kind.SUCCEEDED,
                counters,
                null,
                Instant.now());
    }

    public static TaskEvent failed(TaskMessage task, String workerId, String error) {
        return new TaskEvent(
                task.jobId(),
                task.type(),
                task.taskIndex(),
                task.attempt(),
                workerId,
                Kind.FAILED,
                AttemptCounters.NONE,
                error,
                Instant.now());
    }
}
