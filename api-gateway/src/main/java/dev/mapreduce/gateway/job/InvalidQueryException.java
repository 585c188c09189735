package dev.mapreduce.gateway.job;

import dev.mapreduce.protocol.JobRequest.FieldError;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Query parameters out of range: 400, every wrong one in {@code errors}, as the coordinator's own. */
final class InvalidQueryException extends ErrorResponseException {

    private InvalidQueryException(ProblemDetail problem) {
        super(HttpStatus.BAD_REQUEST, problem, null);
    }

    static InvalidQueryException of(List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
        problem.setTitle("Invalid query");
        problem.setProperty("errors", errors);
        return new InvalidQueryException(problem);
    }
}
