package dev.mapreduce.coordinator.job;

import dev.mapreduce.protocol.JobRequest.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A submitted job has wrong fields; every one of them is named. */
public class InvalidJobException extends RuntimeException {

    private final List<FieldError> errors;

    InvalidJobException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
