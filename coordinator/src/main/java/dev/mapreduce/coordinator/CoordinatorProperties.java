package dev.mapreduce.coordinator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

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
     */
    public record Redis(String url, String clusterNodes, Duration timeout, Duration shuffleTtl) {}
}
