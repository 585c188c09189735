package dev.mapreduce.gateway.coordinator;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway reaches the coordinator's internal API.
 *
 * @param url base URL of the coordinator ({@code COORDINATOR_URL})
 * @param connectTimeout how long to wait for a connection before answering 503
 *     ({@code COORDINATOR_CONNECT_TIMEOUT})
 * @param readTimeout how long to wait for the coordinator's answer before answering 503
 *     ({@code COORDINATOR_READ_TIMEOUT})
 */
@ConfigurationProperties("mapreduce.coordinator")
public record CoordinatorProperties(
        @DefaultValue("http://127.0.0.1:8080") URI url,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("30s") Duration readTimeout) {}
