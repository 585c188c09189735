package dev.mapreduce.coordinator.event;

import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskType;
import java.util.UUID;

/** A task, by job, type and index: how an {@link EventBatch} finds the rows it holds. */
public record TaskKey(UUID jobId, TaskType type, int index) {

    static TaskKey of(TaskEvent e) {
        return new TaskKey(e.jobId(), e.type(), e.taskIndex());
    }
}
