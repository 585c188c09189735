package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    @Test
    void eachClientHasItsOwnLimitAndIsToldHowLongToWait() {
        RateLimits limits = new RateLimits(2, Duration.ofMinutes(1), 100);

        assertThat(limits.acquire("tenant acme")).isEmpty();
        assertThat(limits.acquire("tenant acme")).isEmpty();
        var refused = limits.acquire("tenant acme");
        assertThat(limits.acquire("tenant ops")).isEmpty();

        assertThat(refused).isPresent();
        assertThat(refused.getAsLong()).isPositive().isLessThanOrEqualTo(TimeUnit.MINUTES.toNanos(1));
    }

    @Test
    void retryAfterIsInWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(RateLimits.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(RateLimits.retryAfterSeconds(TimeUnit.MILLISECONDS.toNanos(999)))
                .isEqualTo(1);
        assertThat(RateLimits.retryAfterSeconds(TimeUnit.SECONDS.toNanos(1))).isEqualTo(1);
        assertThat(RateLimits.retryAfterSeconds(TimeUnit.MILLISECONDS.toNanos(1001)))
                .isEqualTo(2);
        assertThat(RateLimits.retryAfterSeconds(TimeUnit.SECONDS.toNanos(59) + 1))
                .isEqualTo(60);
    }

    @Test
    void idleClientsAreForgottenSoManyAddressesCannotFillMemory() {
        AtomicLong now = new AtomicLong();
        RateLimits limits = new RateLimits(5, Duration.ofSeconds(1), 1000, now::get);

        for (int i = 0; i < 1000; i++) {
            limits.acquire("address 10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(limits.clients()).isEqualTo(1000);

        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        limits.acquire("address 10.9.9.9");

        assertThat(limits.clients()).isEqualTo(1);
    }

    @Test
    void beyondTheBoundEveryNewClientSharesOneLimiter() {
        RateLimits limits = new RateLimits(2, Duration.ofMinutes(1), 2, () -> 0L);
        limits.acquire("address 10.0.0.1");
        limits.acquire("address 10.0.0.2");

        assertThat(limits.acquire("address 10.0.0.3")).isEmpty();
        assertThat(limits.acquire("address 10.0.0.4")).isEmpty();
        assertThat(limits.acquire("address 10.0.0.5")).isPresent();
        assertThat(limits.acquire("address 10.0.0.1")).isEmpty();
        assertThat(limits.clients()).isEqualTo(2);
    }
}
