package dev.mapreduce.mapworker;

/** Turns an exception into the one-line message a FAILED task event carries. */
final class Failures {

    /** Longer messages are cut: the event is for people and dashboards, the log has the rest. */
    private static final int MAX_LENGTH = 1000;

    private Failures() {}

    /** {@code SimpleClassName: message}, on one line, without a stack trace. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank()
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
        text = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 1) + "…";
    }
}
