package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.mapreduce.runtime.testing.TestRedisServer;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The rate limit's Redis credentials against a redis-server of the test's own with
 * {@code requirepass} and an ACL user: the right ones count requests in Redis, wrong or missing ones
 * stop the gateway at start with Redis's reason.
 */
class RedisRateLimitsAuthIT {

    static final TestRedisServer server = TestRedisServer.start();
    static final RequestLimits NEVER = client -> {
        throw new AssertionError("the fallback limiter was used: Redis did not count");
    };

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void anAclUserCountsRequestsInRedis() throws Exception {
        try (RedisRateLimits limits = new RedisRateLimits(
                server.url(),
                TestRedisServer.USER,
                TestRedisServer.USER_PASSWORD,
                "auth-it:",
                1,
                Duration.ofMinutes(1),
                NEVER)) {
            assertThat(limits.acquire("tenant acme")).isEmpty();
            assertThat(limits.acquire("tenant acme")).isPresent();
        }
        assertThat(server.cli("EXISTS", "auth-it:tenant acme")).isEqualTo("1");
    }

    @Test
    void thePasswordOfTheDefaultUserIsEnough() {
        try (RedisRateLimits limits = new RedisRateLimits(
                server.url(), "", TestRedisServer.PASSWORD, "auth-it:", 5, Duration.ofMinutes(1), NEVER)) {
            assertThat(limits.acquire("tenant globex")).isEqualTo(OptionalLong.empty());
        }
    }

    @Test
    void aWrongPasswordOrNoneStopsTheGatewayWithRedisReason() {
        assertThatIllegalStateException()
                .isThrownBy(() -> new RedisRateLimits(
                        server.url(),
                        TestRedisServer.USER,
                        "wrong-secret-42",
                        "auth-it:",
                        5,
                        Duration.ofMinutes(1),
                        NEVER))
                .withMessageContaining("WRONGPASS")
                .withMessageContaining("REDIS_PASSWORD")
                .withMessageNotContaining("wrong-secret-42");
        assertThatIllegalStateException()
                .isThrownBy(
                        () -> new RedisRateLimits(server.url(), "", "", "auth-it:", 5, Duration.ofMinutes(1), NEVER))
                .withMessageContaining("NOAUTH");
    }
}
