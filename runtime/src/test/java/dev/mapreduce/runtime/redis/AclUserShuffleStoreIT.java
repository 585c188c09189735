package dev.mapreduce.runtime.redis;

import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.testing.TestRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * The shuffle store contract on a Redis that wants credentials, connected as an ACL user
 * ({@code REDIS_USERNAME} and {@code REDIS_PASSWORD}): every command the shuffle sends works there.
 */
class AclUserShuffleStoreIT extends ShuffleStoreContract {

    static final TestRedisServer server = TestRedisServer.start();
    static final RedisAuth AUTH = new RedisAuth(TestRedisServer.USER, TestRedisServer.USER_PASSWORD);

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    ShuffleStore store(int chunkBytes) {
        return new RedisShuffleStore(server.url(), null, AUTH, Duration.ofSeconds(10), chunkBytes);
    }

    @Override
    RedisClusterCommands<String, String> redis() {
        client = RedisClient.create(AUTH.applyTo(RedisURI.create(server.url())));
        connection = client.connect();
        return connection.sync();
    }

    @AfterEach
    void closeRedis() {
        connection.close();
        client.shutdown();
    }
}
