package dev.mapreduce.gateway.coordinator;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The coordinator answered with a server error or broke its contract: 502. What it said is logged,
 * never shown to the caller.
 */
public class CoordinatorErrorException extends ErrorResponseException {

    private final boolean coordinatorFailed;

    public CoordinatorErrorException(String detail) {
        this(detail, null);
    }

    /** For an answer the coordinator gave with {@code answered}: a 5xx counts as its failure, nothing else. */
    CoordinatorErrorException(String detail, HttpStatusCode answered) {
        super(HttpStatus.BAD_GATEWAY, problem(detail), null);
        this.coordinatorFailed = answered == null || answered.is5xxServerError();
    }

    /**
     * Whether this counts as a failure of the coordinator for its circuit breaker: a 5xx, or a
     * broken contract; not a 4xx or a redirect that the gateway cannot relay.
     */
    boolean coordinatorFailed() {
        return coordinatorFailed;
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, detail);
        problem.setTitle("Coordinator error");
        return problem;
    }
}
