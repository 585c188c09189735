package dev.mapreduce.protocol;

import java.util.UUID;

/**
 * An order from the coordinator to every worker, on {@link Topics#CONTROL}: stop every attempt of
 * a job (cancelled), or stop one attempt (another attempt of its task committed first). A worker
 * not running what is named ignores it.
 */
public record ControlMessage(Kind kind, UUID jobId, AttemptRef attempt) {

    public enum Kind {
        CANCEL_JOB,
        CANCEL_ATTEMPT
    }

    public static ControlMessage cancelJob(UUID jobId) {
        return new ControlMessage(Kind.CANCEL_JOB, jobId, null);
    }

    public static ControlMessage cancelAttempt(AttemptRef attempt) {
        return new ControlMessage(Kind.CANCEL_ATTEMPT, attempt.jobId(), attempt);
    }

    /** Whether this order stops {@code running}. */
    public boolean stops(AttemptRef running) {
        return kind == Kind.CANCEL_JOB ? running.jobId().equals(jobId) : running.equals(attempt);
    }
}
