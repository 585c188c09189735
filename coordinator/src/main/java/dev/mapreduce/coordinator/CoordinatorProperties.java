package dev.mapreduce.coordinator;

import dev.mapreduce.runtime.redis.RedisAuth;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where the coordinator finds Kafka and Redis, and how long it waits for them. */
@ConfigurationProperties("mapreduce")
public record CoordinatorProperties(Kafka kafka, Redis redis) {

    public record Kafka(String bootstrapServers, Duration timeout) {}

    /**
     * @param url the one Redis server holding the shuffle ({@code REDIS_URL})
     * @param clusterNodes seed nodes of a Redis Cluster holding it instead ({@code REDIS_CLUSTER_NODES}); blank: {@code url}
     * @param timeout how long the coordinator waits for Redis ({@code REDIS_TIMEOUT})
     * @param shuffleTtl how long the runs of a job that has not ended are kept from now, renewed every quarter of
     *     it ({@code SHUFFLE_TTL}, which the map workers write them with)
     * @param auth the credentials for Redis: {@code REDIS_USERNAME} (an ACL user; blank: the default user)
     *     and {@code REDIS_PASSWORD} (blank: no AUTH)
     */
    public record Redis(
            String url, String clusterNodes, Duration timeout, Duration shuffleTtl, @DefaultValue RedisAuth auth) {}
}
