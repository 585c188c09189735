package dev.mapreduce.runtime.worker;

import dev.mapreduce.runtime.TaskFailure;

/** Turns an exception into the one-line message a FAILED task event carries. */
public final class Failures {

    /** Longer messages are cut: the event is for people and dashboards, the log has the rest. */
    private static final int MAX_LENGTH = 1000;

    private Failures() {}

    /** A {@link TaskFailure}'s message as it is; otherwise {@code SimpleClassName: message}; on one line, no stack trace. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        String text;
        if (e instanceof TaskFailure) {
            text = message;
        } else if (message == null || message.isBlank()) {
            text = e.getClass().getSimpleName();
        } else {
            text = e.getClass().getSimpleName() + ": " + message;
        }
        text = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 1) + "…";
    }
}
