package dev.mapreduce.gateway.coordinator;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The coordinator circuit breaker in the health details ({@code coordinatorCircuitBreaker}). It is
 * always UP: an open breaker means the coordinator is in trouble, not the gateway, and a DOWN here
 * would get a healthy gateway restarted or taken out of a load balancer.
 */
@Component
class CoordinatorCircuitBreakerHealthIndicator implements HealthIndicator {

    private final CoordinatorCircuitBreaker breaker;

    CoordinatorCircuitBreakerHealthIndicator(CoordinatorCircuitBreaker breaker) {
        this.breaker = breaker;
    }

    @Override
    public Health health() {
        CircuitBreaker.State state = breaker.state();
        Health.Builder health = Health.up().withDetail("state", state.name());
        float failureRate = breaker.failureRate();
        if (failureRate >= 0) {
            health.withDetail("failureRate", failureRate);
        }
        if (state == CircuitBreaker.State.OPEN) {
            health.withDetail("retryAfterSeconds", breaker.retryAfterSeconds());
        }
        return health.build();
    }
}
