package dev.mapreduce.gateway.coordinator;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The coordinator answered with a server error or broke its contract: 502. What it said is logged,
 * never shown to the caller.
 */
public class CoordinatorErrorException extends ErrorResponseException {

    public CoordinatorErrorException(String detail) {
        super(HttpStatus.BAD_GATEWAY, problem(detail), null);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, detail);
        problem.setTitle("Coordinator error");
        return problem;
    }
}
