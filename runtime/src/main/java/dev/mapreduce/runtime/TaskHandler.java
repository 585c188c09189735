package dev.mapreduce.runtime;

import dev.mapreduce.protocol.TaskMessage;

/**
 * Runs the task attempts a worker takes from the queue, reporting their events itself: first
 * {@link #start} (STARTED), which must get through before the task is acknowledged, then
 * {@link #run} and its outcome.
 */
public interface TaskHandler {

    /**
     * Reports that this worker took {@code task} (its STARTED event). Called before the task is
     * acknowledged to Kafka, so a worker that dies here leaves the task in the queue.
     *
     * @throws RuntimeException if the start cannot be reported; the task then goes back to the
     *     queue instead of running
     */
    void start(TaskMessage task);

    /**
     * Runs the attempt and reports how it ended: SUCCEEDED, FAILED, or ABORTED once
     * {@code cancellation} is cancelled (after which it writes nothing more).
     */
    void run(TaskMessage task, Cancellation cancellation);
}
