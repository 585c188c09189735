package dev.mapreduce.runtime.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.protocol.ShuffleKeys;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.ShuffleStoreException;
import dev.mapreduce.runtime.testing.TestRedisCluster;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shuffle store contract on a real 3-master Redis Cluster ({@code REDIS_CLUSTER_NODES}),
 * started from the machine's redis-server for this class: the same runs, reads, TTLs and deletes
 * as on one server, with a job's partitions spread over the masters.
 */
class RedisClusterShuffleStoreIT extends ShuffleStoreContract {

    @TempDir
    static Path clusterDir;

    private static TestRedisCluster cluster;
    private RedisClusterClient client;
    private StatefulRedisClusterConnection<String, String> connection;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestRedisCluster.start(clusterDir, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    ShuffleStore store(int chunkBytes) {
        // REDIS_URL points nowhere: with seed nodes it is not used
        return new RedisShuffleStore("redis://127.0.0.1:1", cluster.nodes(), Duration.ofSeconds(10), chunkBytes);
    }

    @Override
    RedisClusterCommands<String, String> redis() {
        client = RedisClusterClient.create(cluster.ports().stream()
                .map(p -> RedisURI.create("127.0.0.1", p))
                .toList());
        connection = client.connect();
        return connection.sync();
    }

    @AfterEach
    void closeRedis() {
        connection.close();
        client.shutdown();
    }

    @Test
    void aJobsPartitionsAreSpreadOverTheMastersEachInTheSlotRedisComputes() {
        RedisClusterCommands<String, String> redis = connection.sync();
        UUID job = UUID.randomUUID();
        Set<String> masters = new HashSet<>();
        for (int p = 0; p < 32; p++) {
            String key = ShuffleKeys.run(job, p, 0, 1);
            assertThat(redis.clusterKeyslot(key)).isEqualTo(SlotHash.getSlot(key));
            masters.add(connection
                    .getPartitions()
                    .getPartitionBySlot(SlotHash.getSlot(key))
                    .getNodeId());
        }
        assertThat(masters).hasSize(3);
    }

    @Test
    void aSeedThatIsNotHostAndPortIsRefusedByName() {
        assertThatThrownBy(() -> new RedisShuffleStore(
                        "redis://127.0.0.1:1",
                        "127.0.0.1:" + cluster.ports().get(0) + ",nohost",
                        Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REDIS_CLUSTER_NODES")
                .hasMessageContaining("nohost");
    }

    @Test
    void noReachableSeedIsAShuffleStoreException() {
        assertThatThrownBy(() -> new RedisShuffleStore("redis://127.0.0.1:1", "127.0.0.1:1", Duration.ofSeconds(2)))
                .isInstanceOf(ShuffleStoreException.class)
                .hasMessageContaining("Redis Cluster at [127.0.0.1:1]");
    }
}
