package dev.mapreduce.gateway.coordinator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the gateway stops calling the coordinator for a while: a call that cannot connect, times
 * out or gets a 5xx is a failure; one answered with anything else (a 4xx included) is not.
 *
 * @param failureRate percentage of failed calls, among the last {@code slidingWindow}, that opens
 *     the breaker ({@code COORDINATOR_BREAKER_FAILURE_RATE})
 * @param minimumCalls calls needed before the failure rate counts at all
 *     ({@code COORDINATOR_BREAKER_MINIMUM_CALLS}); at most {@code slidingWindow}
 * @param slidingWindow how many of the latest calls the failure rate is taken over
 *     ({@code COORDINATOR_BREAKER_SLIDING_WINDOW})
 * @param waitInOpenState how long an open breaker answers 503 without calling, before it lets
 *     trial calls through ({@code COORDINATOR_BREAKER_WAIT})
 * @param halfOpenCalls how many trial calls decide whether it closes again (failure rate below
 *     {@code failureRate}) or opens once more ({@code COORDINATOR_BREAKER_HALF_OPEN_CALLS})
 */
@ConfigurationProperties("mapreduce.coordinator.circuit-breaker")
public record CircuitBreakerProperties(
        @DefaultValue("50") float failureRate,
        @DefaultValue("10") int minimumCalls,
        @DefaultValue("20") int slidingWindow,
        @DefaultValue("10s") Duration waitInOpenState,
        @DefaultValue("3") int halfOpenCalls) {

    private static final String PREFIX = "mapreduce.coordinator.circuit-breaker.";

    public CircuitBreakerProperties {
        if (!(failureRate > 0 && failureRate <= 100)) {
            throw new IllegalArgumentException(PREFIX + "failure-rate (COORDINATOR_BREAKER_FAILURE_RATE) must be a"
                    + " percentage above 0 and at most 100, not " + failureRate);
        }
        if (slidingWindow < 1) {
            throw new IllegalArgumentException(PREFIX + "sliding-window (COORDINATOR_BREAKER_SLIDING_WINDOW) must be"
                    + " at least 1, not " + slidingWindow);
        }
        if (minimumCalls < 1 || minimumCalls > slidingWindow) {
            throw new IllegalArgumentException(PREFIX + "minimum-calls (COORDINATOR_BREAKER_MINIMUM_CALLS) must be"
                    + " between 1 and the sliding window (" + slidingWindow + "), not " + minimumCalls);
        }
        if (waitInOpenState == null || waitInOpenState.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(PREFIX + "wait-in-open-state (COORDINATOR_BREAKER_WAIT) must be at"
                    + " least 1ms, not " + waitInOpenState);
        }
        if (halfOpenCalls < 1) {
            throw new IllegalArgumentException(PREFIX + "half-open-calls (COORDINATOR_BREAKER_HALF_OPEN_CALLS) must"
                    + " be at least 1, not " + halfOpenCalls);
        }
    }
}
