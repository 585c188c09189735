package dev.mapreduce.reduceworker;

/** An expected way for an attempt to fail, whose message is already the one-line reason to report. */
class TaskFailure extends RuntimeException {

    TaskFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Another attempt of the partition committed first: a normal outcome of retries and speculation. */
    static final class Superseded extends TaskFailure {

        Superseded(String message) {
            super(message, null);
        }
    }
}
