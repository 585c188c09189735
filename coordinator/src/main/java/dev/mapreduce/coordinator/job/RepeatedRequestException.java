package dev.mapreduce.coordinator.job;

/** A submit whose owner already has a job with its requestId; nothing was recorded. */
public final class RepeatedRequestException extends RuntimeException {

    public RepeatedRequestException() {
        super("a job with this requestId exists", null, false, false);
    }
}
