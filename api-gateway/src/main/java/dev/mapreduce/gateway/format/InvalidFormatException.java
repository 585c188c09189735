package dev.mapreduce.gateway.format;

import dev.mapreduce.protocol.JobRequest.FieldError;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A preview request or format the gateway cannot use: 400, every problem in the {@code errors}
 * extension ({@code [{"field": "format.pattern", "message": …}]}), as job submissions report theirs.
 */
class InvalidFormatException extends ErrorResponseException {

    private InvalidFormatException(String detail, List<FieldError> errors) {
        super(HttpStatus.BAD_REQUEST, problem(detail, errors), null);
    }

    static InvalidFormatException fields(List<FieldError> errors) {
        return new InvalidFormatException(
                errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")), errors);
    }

    static InvalidFormatException body(String detail) {
        return new InvalidFormatException(detail, List.of());
    }

    private static ProblemDetail problem(String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid format");
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }
}
