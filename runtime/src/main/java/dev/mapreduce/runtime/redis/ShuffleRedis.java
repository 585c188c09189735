package dev.mapreduce.runtime.redis;

import dev.mapreduce.redis.RedisErrors;
import dev.mapreduce.runtime.ShuffleStoreException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shuffle's connection: to one Redis server ({@code REDIS_URL}), or to a Redis Cluster found
 * from its seed nodes ({@code REDIS_CLUSTER_NODES}). Both give the same commands; on a cluster,
 * Lettuce sends each to the master of its key's slot and follows the cluster's topology as
 * masters fail over.
 */
final class ShuffleRedis implements AutoCloseable {

    /**
     * How often the cluster client re-reads the topology even when nothing told it of a change: a
     * master's failover takes its replica a few seconds, and a refresh triggered by the first failed
     * reconnects comes before it, while the slots still name the dead master.
     */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(5);

    /**
     * The least time between two refreshes triggered by events (reconnects, redirects). Lettuce's
     * default, 30 s, kept a client on a dead master for 30 s after a failover: longer than a task's
     * retries last (integration-tests/multi-host.sh).
     */
    private static final Duration ADAPTIVE_REFRESH_LIMIT = Duration.ofSeconds(1);

    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    final RedisClusterAsyncCommands<byte[], byte[]> async;
    final RedisClusterCommands<byte[], byte[]> sync;
    final String description;

    private ShuffleRedis(
            AbstractRedisClient client,
            StatefulConnection<byte[], byte[]> connection,
            RedisClusterAsyncCommands<byte[], byte[]> async,
            RedisClusterCommands<byte[], byte[]> sync,
            String description) {
        this.client = client;
        this.connection = connection;
        this.async = async;
        this.sync = sync;
        this.description = description;
    }

    /**
     * Connects to the cluster of {@code clusterNodes} (comma-separated {@code host:port} or
     * {@code redis://} URIs) if it is not blank, else to the server at {@code redisUrl}.
     *
     * @throws IllegalArgumentException if a seed node is not {@code host:port} or a Redis URI
     * @throws ShuffleStoreException if Redis cannot be reached
     */
    static ShuffleRedis connect(String redisUrl, String clusterNodes, RedisAuth auth, Duration timeout) {
        if (clusterNodes != null && !clusterNodes.isBlank()) {
            List<RedisURI> seeds = seeds(clusterNodes, timeout);
            seeds.forEach(auth::applyTo);
            return cluster(seeds, timeout);
        }
        RedisURI uri = auth.applyTo(RedisURI.create(redisUrl));
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(uri);
        try {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            // a Redis that wants a password lets a client without one connect, then refuses every
            // command (NOAUTH): find that out now, not at the first task
            connection.sync().ping();
            return new ShuffleRedis(
                    client, connection, connection.async(), connection.sync(), "Redis at " + where(uri));
        } catch (RuntimeException e) {
            client.shutdown();
            throw new ShuffleStoreException(
                    "cannot connect to Redis at " + where(uri) + ": " + RedisErrors.reason(e), e);
        }
    }

    private static ShuffleRedis cluster(List<RedisURI> seeds, Duration timeout) {
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_LIMIT)
                        .build())
                .build());
        String description = "Redis Cluster at "
                + seeds.stream().map(u -> u.getHost() + ":" + u.getPort()).toList();
        try {
            StatefulRedisClusterConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            connection.setTimeout(timeout);
            return new ShuffleRedis(client, connection, connection.async(), connection.sync(), description);
        } catch (RuntimeException e) {
            client.shutdown();
            throw new ShuffleStoreException("cannot connect to " + description + ": " + RedisErrors.reason(e), e);
        }
    }

    /** Host, port and database: never the URL, which may hold a password. */
    private static String where(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort() + (uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase());
    }

    static List<RedisURI> seeds(String clusterNodes, Duration timeout) {
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : clusterNodes.split(",")) {
            String seed = node.strip();
            if (seed.isEmpty()) {
                continue;
            }
            RedisURI uri;
            try {
                uri = RedisURI.create(seed.contains("://") ? seed : "redis://" + seed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "REDIS_CLUSTER_NODES: '" + seed + "' is neither host:port nor a redis:// URI", e);
            }
            if (uri.getHost() == null || uri.getHost().isBlank() || (!seed.contains("://") && !seed.contains(":"))) {
                throw new IllegalArgumentException("REDIS_CLUSTER_NODES: '" + seed + "' is not host:port");
            }
            uri.setTimeout(timeout);
            seeds.add(uri);
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("REDIS_CLUSTER_NODES names no node");
        }
        return seeds;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
