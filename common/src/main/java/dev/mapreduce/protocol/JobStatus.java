package dev.mapreduce.protocol;

/** A job's life: PENDING → RUNNING → MAP_COMPLETED → REDUCE_RUNNING → COMPLETED (or FAILED, CANCELLED). */
public enum JobStatus {
    PENDING,
    RUNNING,
    MAP_COMPLETED,
    REDUCE_RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** Whether the job has ended and will not change again. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
