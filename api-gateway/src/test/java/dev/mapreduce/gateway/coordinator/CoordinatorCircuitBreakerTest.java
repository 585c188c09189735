package dev.mapreduce.gateway.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.client.ResourceAccessException;

/**
 * Which outcomes of a call to the coordinator count against it: faults (no connection, no answer in
 * time, a 5xx, a broken contract) do; answers about the caller's request (any 4xx: a job not found,
 * a conflict, a tenant over its job cap, a bad request) never do, however many.
 */
class CoordinatorCircuitBreakerTest {

    static ErrorResponseException answered(HttpStatus status) {
        return new ErrorResponseException(status, ProblemDetail.forStatus(status), null);
    }

    static final List<RuntimeException> CALLERS_MISTAKES = List.of(
            answered(HttpStatus.BAD_REQUEST),
            answered(HttpStatus.NOT_FOUND),
            answered(HttpStatus.CONFLICT),
            answered(HttpStatus.UNPROCESSABLE_CONTENT),
            answered(HttpStatus.TOO_MANY_REQUESTS),
            // a 4xx that is not a problem: a 502 to the caller, but the coordinator did answer
            new CoordinatorErrorException("not a problem", HttpStatus.NOT_FOUND));

    static final List<RuntimeException> COORDINATOR_FAULTS = List.of(
            new CoordinatorUnavailableException("cannot be reached", new ResourceAccessException("refused")),
            new CoordinatorUnavailableException(
                    "no answer in time", new ResourceAccessException("timeout", new HttpTimeoutException("read"))),
            new CoordinatorErrorException("a 500", HttpStatus.INTERNAL_SERVER_ERROR),
            new CoordinatorErrorException("an answer without a job id"),
            answered(HttpStatus.SERVICE_UNAVAILABLE),
            new UncheckedIOException(new java.io.IOException("connection reset")));

    final CoordinatorCircuitBreaker breaker =
            new CoordinatorCircuitBreaker(new CircuitBreakerProperties(50, 4, 4, Duration.ofMinutes(1), 1));

    void callFailing(RuntimeException outcome) {
        Supplier<Object> call = () -> {
            throw outcome;
        };
        assertThat(catchThrowable(() -> breaker.call(call))).isSameAs(outcome);
    }

    @Test
    void answersAboutTheCallersRequestAreNotFailures() {
        assertThat(CALLERS_MISTAKES).noneMatch(CoordinatorCircuitBreaker::isFailure);
    }

    @Test
    void coordinatorFaultsAreFailures() {
        assertThat(COORDINATOR_FAULTS).allMatch(CoordinatorCircuitBreaker::isFailure);
    }

    @Test
    void anyNumberOf4xxAnswersLeavesItClosed() {
        for (int round = 0; round < 5; round++) {
            CALLERS_MISTAKES.forEach(this::callFailing);
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.failureRate()).isZero();
    }

    @Test
    void coordinatorFaultsOpenIt() {
        COORDINATOR_FAULTS.subList(0, 4).forEach(this::callFailing);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        Throwable refused = catchThrowable(() -> breaker.call(() -> "not called"));
        assertThat(refused).isInstanceOf(CoordinatorUnavailableException.class);
        assertThat(((ErrorResponseException) refused).getHeaders().getFirst("Retry-After"))
                .isNotNull();
    }
}
