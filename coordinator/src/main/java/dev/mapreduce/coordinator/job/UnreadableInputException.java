package dev.mapreduce.coordinator.job;

/** A job's input path is well formed but names nothing that can be read: missing, not a file, too many files. */
public class UnreadableInputException extends RuntimeException {

    UnreadableInputException(String message) {
        super(message);
    }
}
