package dev.mapreduce.runtime;

/**
 * A task attempt stopped because it was told to (its job was cancelled, or the coordinator no
 * longer wants this attempt). Not a failure of the task: the worker reports it as ABORTED.
 */
public class TaskCancelledException extends RuntimeException {

    public TaskCancelledException(String reason) {
        super(reason);
    }
}
