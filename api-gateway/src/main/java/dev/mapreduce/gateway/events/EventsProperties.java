package dev.mapreduce.gateway.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live event streams ({@code /api/jobs/events}, {@code /api/jobs/{jobId}/events}).
 *
 * @param maxSubscribers open streams the gateway serves at most; one more is a 503
 *     ({@code MAPREDUCE_EVENTS_MAX_SUBSCRIBERS})
 * @param maxSubscribersPerTenant open streams one tenant may have at once; one more is a 429 with
 *     {@code Retry-After} ({@code MAPREDUCE_EVENTS_MAX_SUBSCRIBERS_PER_TENANT}). Without API keys
 *     there are no tenants and only {@code maxSubscribers} applies
 * @param minInterval the shortest time between two updates of one job: changes in between are sent
 *     together, as the state at the end ({@code MAPREDUCE_EVENTS_MIN_INTERVAL})
 * @param keepAlive how often an idle stream gets a comment line, so proxies keep it open
 *     ({@code MAPREDUCE_EVENTS_KEEP_ALIVE})
 * @param streamTimeout how long one stream lasts at most; the client then reconnects
 *     ({@code MAPREDUCE_EVENTS_STREAM_TIMEOUT})
 * @param maxReconnectDelay the longest wait between two attempts to reconnect to PostgreSQL for its
 *     notifications ({@code MAPREDUCE_EVENTS_MAX_RECONNECT_DELAY})
 */
@ConfigurationProperties("mapreduce.events")
public record EventsProperties(
        @DefaultValue("1000") int maxSubscribers,
        @DefaultValue("100") int maxSubscribersPerTenant,
        @DefaultValue("200ms") Duration minInterval,
        @DefaultValue("15s") Duration keepAlive,
        @DefaultValue("30m") Duration streamTimeout,
        @DefaultValue("30s") Duration maxReconnectDelay) {

    public EventsProperties {
        if (maxSubscribers < 1) {
            throw new IllegalArgumentException("mapreduce.events.max-subscribers must be at least 1");
        }
        if (maxSubscribersPerTenant < 1) {
            throw new IllegalArgumentException("mapreduce.events.max-subscribers-per-tenant must be at least 1");
        }
        requirePositive(minInterval, "min-interval");
        requirePositive(keepAlive, "keep-alive");
        requirePositive(streamTimeout, "stream-timeout");
        requirePositive(maxReconnectDelay, "max-reconnect-delay");
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("mapreduce.events." + name + " must be positive, not " + duration);
        }
    }
}
