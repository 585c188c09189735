package dev.mapreduce.coordinator.task;

import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskType;

/**
 * What can happen to an attempt: what its worker reports, and what the coordinator finds out by
 * itself (a lost worker, an attempt that never started). A reduce's success is told apart by its
 * commit row, the truth about which attempt wrote the partition's results.
 */
public enum AttemptEvent {
    /** The worker took the attempt and began running it. */
    STARTED,
    /** The attempt finished with its output stored: a map's runs, or a reduce whose commit row names it. */
    SUCCEEDED,
    /** A reduce reports success, but no attempt committed its partition. */
    SUCCEEDED_UNCOMMITTED,
    /** A reduce reports success, but another attempt committed its partition. */
    SUCCEEDED_OTHER_COMMITTED,
    /** The attempt threw: counts toward the task's maxAttempts. */
    FAILED,
    /** A reduce attempt could not read a map run: not its fault; the lost runs are made again. */
    FETCH_FAILED,
    /** The worker stopped the attempt because it was told to. */
    ABORTED,
    /** Its worker died, or restarted and no longer runs it. */
    LOST,
    /** Its task message was taken by Kafka but no worker reported STARTED in time. */
    START_TIMED_OUT;

    /**
     * The event a worker's report is; {@code committedAttempt} is the attempt the reduce partition's
     * commit row names (null: none), and is not read for other kinds.
     */
    public static AttemptEvent of(TaskEvent e, Integer committedAttempt) {
        return switch (e.kind()) {
            case STARTED -> STARTED;
            case SUCCEEDED -> {
                if (e.type() == TaskType.MAP) {
                    yield SUCCEEDED;
                }
                if (committedAttempt == null) {
                    yield SUCCEEDED_UNCOMMITTED;
                }
                yield committedAttempt == e.attempt() ? SUCCEEDED : SUCCEEDED_OTHER_COMMITTED;
            }
            case FAILED -> FAILED;
            case FETCH_FAILED -> FETCH_FAILED;
            case ABORTED -> ABORTED;
            case HEARTBEAT -> throw new IllegalArgumentException("a heartbeat is about a worker, not an attempt");
        };
    }

    /** Whether the attempt reports that it ended: its dispatch slot is free, whatever the outcome. */
    public boolean endsAttempt() {
        return this != STARTED;
    }
}
