package dev.mapreduce.runtime;

/** An expected way for an attempt to fail, whose message is already the one-line reason to report. */
public class TaskFailure extends RuntimeException {

    public TaskFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Another attempt of the task committed first: a normal outcome of retries and speculation. */
    public static final class Superseded extends TaskFailure {

        public Superseded(String message) {
            super(message, null);
        }
    }
}
