package dev.mapreduce.gateway.job;

import dev.mapreduce.protocol.JobRequest.FieldError;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A job submission the gateway rejects before calling the coordinator: 400, with every wrong field
 * in the {@code errors} extension ({@code [{"field": …, "message": …}]}), the same shape as the
 * coordinator's own validation problems.
 */
class InvalidJobRequestException extends ErrorResponseException {

    private final List<FieldError> errors;

    private InvalidJobRequestException(String detail, List<FieldError> errors) {
        super(HttpStatus.BAD_REQUEST, problem(detail, errors), null);
        this.errors = List.copyOf(errors);
    }

    /** Fields that are missing, unknown, of the wrong type or out of range. */
    static InvalidJobRequestException fields(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
        return new InvalidJobRequestException(detail, errors);
    }

    /** A body that is not a JSON object at all, so there are no fields to name. */
    static InvalidJobRequestException body(String detail) {
        return new InvalidJobRequestException(detail, List.of());
    }

    List<FieldError> errors() {
        return errors;
    }

    private static ProblemDetail problem(String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid job");
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }
}
