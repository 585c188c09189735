package dev.mapreduce.protocol;

import java.util.UUID;

/** One attempt of one task. */
public record AttemptRef(UUID jobId, TaskType type, int taskIndex, int attempt) {

    public static AttemptRef of(TaskMessage task) {
        return new AttemptRef(task.jobId(), task.type(), task.taskIndex(), task.attempt());
    }
}
