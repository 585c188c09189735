package dev.mapreduce.coordinator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Where the coordinator finds Kafka and Redis, and how long it waits for them. */
@ConfigurationProperties("mapreduce")
public record CoordinatorProperties(Kafka kafka, Redis redis) {

    public record Kafka(String bootstrapServers, Duration timeout) {}

    public record Redis(String url, Duration timeout) {}
}
