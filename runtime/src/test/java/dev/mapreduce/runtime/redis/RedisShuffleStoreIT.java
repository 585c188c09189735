package dev.mapreduce.runtime.redis;

import dev.mapreduce.runtime.ShuffleStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The shuffle store contract on one Redis server ({@code REDIS_URL}). */
class ShuffleStoreIT extends ShuffleStoreContract {

    /** The local Redis, or {@code REDIS_URL}'s (e.g. a logical database of its own). */
    private static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    @Override
    ShuffleStore store(int chunkBytes) {
        return new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10), chunkBytes);
    }

    @Override
    RedisClusterCommands<String, String> redis() {
        client = RedisClient.create(REDIS_URL);
        connection = client.connect();
        return connection.sync();
    }

    @AfterEach
    void closeRedis() {
        connection.close();
        client.shutdown();
    }
}
