package dev.mapreduce.gateway.coordinator;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The coordinator could not be reached or did not answer in time: 503, the caller may retry. */
public class CoordinatorUnavailableException extends ErrorResponseException {

    CoordinatorUnavailableException(String detail, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(detail), cause);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle("Coordinator unavailable");
        return problem;
    }
}
