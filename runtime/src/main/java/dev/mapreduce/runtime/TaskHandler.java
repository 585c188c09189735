package dev.mapreduce.runtime;

import dev.mapreduce.protocol.TaskMessage;

/** Runs one task attempt a worker took from the queue; reports its outcome itself. */
@FunctionalInterface
public interface TaskHandler {

    void run(TaskMessage task);
}
