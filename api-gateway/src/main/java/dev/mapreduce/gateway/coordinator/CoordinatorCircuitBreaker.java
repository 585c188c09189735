package dev.mapreduce.gateway.coordinator;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * The Resilience4j circuit breaker around every call to the coordinator (named {@code coordinator}).
 * Failures are calls that could not connect, timed out or got a 5xx ({@link #isFailure}); a 4xx is
 * the coordinator working as it should. While the breaker is open, calls fail at once with a 503
 * whose {@code Retry-After} is the rest of the wait; after it, a few trial calls decide whether it
 * closes. Its state is a metric ({@code resilience4j_circuitbreaker_state{name="coordinator"}} and
 * the other {@code resilience4j_circuitbreaker_*} meters) and a health detail.
 */
@Component
public class CoordinatorCircuitBreaker implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorCircuitBreaker.class);

    private final CircuitBreakerRegistry registry;
    private final CircuitBreaker breaker;
    private final Duration waitInOpenState;
    /** System.nanoTime() when the breaker last opened. */
    private volatile long openedAt;

    public CoordinatorCircuitBreaker(CircuitBreakerProperties properties) {
        this.waitInOpenState = properties.waitInOpenState();
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.slidingWindow())
                .minimumNumberOfCalls(properties.minimumCalls())
                .failureRateThreshold(properties.failureRate())
                .waitDurationInOpenState(properties.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(properties.halfOpenCalls())
                .recordException(CoordinatorCircuitBreaker::isFailure)
                .build());
        this.breaker = registry.circuitBreaker("coordinator");
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> {
                    openedAt = System.nanoTime();
                    log.warn(
                            "Coordinator circuit breaker open: {}% of the last {} calls failed; calls to the"
                                    + " coordinator are answered 503 for {}",
                            Math.round(breaker.getMetrics().getFailureRate()),
                            breaker.getMetrics().getNumberOfBufferedCalls(),
                            waitInOpenState);
                }
                case HALF_OPEN -> log.info("Coordinator circuit breaker half open: trying the coordinator again");
                case CLOSED -> log.info("Coordinator circuit breaker closed: the coordinator answers again");
                default -> log.info("Coordinator circuit breaker {}", event.getStateTransition());
            }
        });
    }

    /**
     * Runs one call to the coordinator through the breaker.
     *
     * @throws CoordinatorUnavailableException with {@code Retry-After} when the breaker is open
     */
    public <T> T call(Supplier<T> call) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            long seconds = retryAfterSeconds();
            CoordinatorUnavailableException unavailable = new CoordinatorUnavailableException(
                    "calls to the coordinator are suspended after repeated failures; retry in " + seconds + "s", null);
            unavailable.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            throw unavailable;
        }
    }

    /** CLOSED, OPEN or HALF_OPEN. */
    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** Failure rate of the calls in the window, in percent; -1 until the minimum number of calls. */
    public float failureRate() {
        return breaker.getMetrics().getFailureRate();
    }

    /**
     * Whole seconds until an open breaker lets trial calls through, at least 1. A half-open breaker
     * whose trial calls are all taken decides within about one call, so that is 1 too.
     */
    public long retryAfterSeconds() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return 1;
        }
        long left = waitInOpenState.toNanos() - (System.nanoTime() - openedAt);
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    /**
     * Whether a call's outcome counts against the coordinator: it could not be reached or did not
     * answer in time, or it answered a 5xx. A 4xx (a relayed problem, or one that is not a problem)
     * and a redirect are answers, not failures.
     */
    static boolean isFailure(Throwable outcome) {
        if (outcome instanceof CoordinatorErrorException error) {
            return error.coordinatorFailed();
        }
        if (outcome instanceof ErrorResponseException answer) {
            return answer.getStatusCode().is5xxServerError();
        }
        return true;
    }
}
