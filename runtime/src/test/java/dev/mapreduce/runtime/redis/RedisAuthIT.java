package dev.mapreduce.runtime.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.runtime.ShuffleStoreException;
import dev.mapreduce.runtime.testing.TestRedisServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The shuffle's Redis credentials against a redis-server of the test's own with {@code requirepass}
 * and an ACL user: the right ones connect, wrong or missing ones stop the service at start with
 * Redis's reason and the settings to check.
 */
class RedisAuthIT {

    static final TestRedisServer server = TestRedisServer.start();

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void thePasswordOfTheDefaultUserConnectsAndWrites() throws Exception {
        UUID job = UUID.randomUUID();
        try (RedisShuffleStore store = new RedisShuffleStore(
                server.url(), null, new RedisAuth("", TestRedisServer.PASSWORD), Duration.ofSeconds(5))) {
            assertThat(store.ping()).isTrue();
            store.writeRuns(job, 0, 1, new byte[][] {new byte[] {1, 2, 3}}, Duration.ofMinutes(1));
        }
        assertThat(server.cli("KEYS", "*" + job + "*")).isNotEmpty();
    }

    @Test
    void anAclUserConnectsWithItsPassword() {
        try (RedisShuffleStore store = new RedisShuffleStore(
                server.url(),
                null,
                new RedisAuth(TestRedisServer.USER, TestRedisServer.USER_PASSWORD),
                Duration.ofSeconds(5))) {
            assertThat(store.ping()).isTrue();
        }
    }

    @Test
    void aWrongPasswordStopsTheStoreWithRedisReasonAndTheSettingsToCheck() {
        assertThatThrownBy(() -> new RedisShuffleStore(
                        server.url(), null, new RedisAuth("", "not-the-password"), Duration.ofSeconds(5)))
                .isInstanceOf(ShuffleStoreException.class)
                .hasMessageContaining("WRONGPASS")
                .hasMessageContaining("REDIS_PASSWORD")
                .hasMessageNotContaining("not-the-password");
        assertThatThrownBy(() -> new RedisShuffleStore(
                        server.url(),
                        null,
                        new RedisAuth(TestRedisServer.USER, TestRedisServer.PASSWORD),
                        Duration.ofSeconds(5)))
                .isInstanceOf(ShuffleStoreException.class)
                .hasMessageContaining("WRONGPASS")
                .hasMessageContaining("REDIS_USERNAME");
    }

    @Test
    void noPasswordStopsTheStoreAtStartNotAtTheFirstTask() {
        assertThatThrownBy(() -> new RedisShuffleStore(server.url(), null, RedisAuth.NONE, Duration.ofSeconds(5)))
                .isInstanceOf(ShuffleStoreException.class)
                .hasMessageContaining("NOAUTH")
                .hasMessageContaining("REDIS_PASSWORD");
    }

    @Test
    void aUserWithoutAPasswordIsAConfigurationError() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RedisAuth("mapreduce", ""))
                .withMessageContaining("REDIS_PASSWORD");
        assertThat(new RedisAuth("mapreduce", "secret").toString()).doesNotContain("secret");
    }
}
