package dev.mapreduce.engine.local;

/** A local job that started but cannot give a trustworthy result, such as one whose input is mostly malformed. */
public final class JobFailedException extends RuntimeException {

    public JobFailedException(String message) {
        super(message);
    }
}
