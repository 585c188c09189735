package dev.mapreduce.coordinator.job;

import dev.mapreduce.protocol.JobRequest.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A list request has wrong query parameters; every one of them is named. */
public class InvalidQueryException extends RuntimeException {

    private final List<FieldError> errors;

    InvalidQueryException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
