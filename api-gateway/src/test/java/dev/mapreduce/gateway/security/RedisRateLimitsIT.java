package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways' limiters sharing one Redis (a database of the shared Redis that nothing else uses,
 * keys under a prefix of this run: nothing is flushed) count the same requests: the limit holds
 * for them in all.
 */
class RedisRateLimitsIT {

    static final String REDIS_URL = "redis://127.0.0.1:6379/9";

    final String prefix = "mapreduce-it:rate-limit:" + UUID.randomUUID() + ":";
    final AtomicInteger fallbackCalls = new AtomicInteger();
    final RequestLimits fallback = client -> {
        fallbackCalls.incrementAndGet();
        return OptionalLong.empty();
    };
    final List<RedisRateLimits> opened = new ArrayList<>();

    RedisRateLimits gateway(int limit, Duration period) {
        RedisRateLimits limits = new RedisRateLimits(REDIS_URL, prefix, limit, period, fallback);
        opened.add(limits);
        // the first call loads Bucket4j's script into Redis: slow on a busy machine, and not what is tested
        limits.acquire("warm-up " + UUID.randomUUID());
        fallbackCalls.set(0);
        return limits;
    }

    @AfterEach
    void close() {
        opened.forEach(RedisRateLimits::close);
    }

    @Test
    void twoGatewaysTogetherGrantTheLimitOnceNotTwice() {
        RedisRateLimits a = gateway(5, Duration.ofMinutes(1));
        RedisRateLimits b = gateway(5, Duration.ofMinutes(1));

        int granted = 0;
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            OptionalLong wait = (i % 2 == 0 ? a : b).acquire("tenant acme");
            if (wait.isEmpty()) {
                granted++;
            } else {
                waits.add(wait.getAsLong());
            }
        }

        assertThat(granted).isEqualTo(5);
        assertThat(waits).hasSize(7).allSatisfy(wait -> assertThat(wait)
                .isPositive()
                .isLessThanOrEqualTo(Duration.ofMinutes(1).toNanos()));
        assertThat(fallbackCalls).hasValue(0);
    }

    @Test
    void eachClientHasItsOwnLimit() {
        RedisRateLimits a = gateway(2, Duration.ofMinutes(1));
        RedisRateLimits b = gateway(2, Duration.ofMinutes(1));
        a.acquire("tenant acme");
        b.acquire("tenant acme");
        assertThat(a.acquire("tenant acme")).isPresent();

        assertThat(b.acquire("tenant globex")).isEmpty();
        assertThat(a.acquire("address 10.0.0.7")).isEmpty();
    }

    @Test
    void theLimitComesBackAfterThePeriodForEveryGateway() {
        RedisRateLimits a = gateway(2, Duration.ofMillis(500));
        RedisRateLimits b = gateway(2, Duration.ofMillis(500));
        a.acquire("tenant acme");
        b.acquire("tenant acme");
        assertThat(b.acquire("tenant acme")).isPresent();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.acquire("tenant acme").isEmpty());
        assertThat(b.acquire("tenant acme")).isEmpty();
        assertThat(a.acquire("tenant acme")).isPresent();
    }

    @Test
    void withoutRedisEachGatewayLimitsOnItsOwn() {
        RedisRateLimits a = gateway(1, Duration.ofMinutes(1));
        assertThat(a.acquire("tenant acme")).isEmpty();
        assertThat(fallbackCalls).hasValue(0);

        a.close(); // the connection is gone, as when Redis is

        assertThat(a.acquire("tenant acme")).isEmpty();
        assertThat(fallbackCalls).hasValue(1);
    }
}
