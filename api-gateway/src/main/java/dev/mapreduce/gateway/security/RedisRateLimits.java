package dev.mapreduce.gateway.security;

import dev.mapreduce.redis.RedisErrors;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limit kept in Redis with Bucket4j, so that every gateway sharing the Redis counts the
 * same requests: {@code limit} per {@code period} per client in all, refilled at once each period
 * as the in-memory {@link RateLimits} does. A client's bucket is a key {@code prefix + client} that
 * expires once it would be full again.
 *
 * <p>While Redis cannot answer (within {@link #TIMEOUT}), each gateway limits on its own with
 * {@code fallback}: requests are neither all refused nor let through unlimited. That is logged
 * once, and once more when Redis answers again.
 */
final class RedisRateLimits implements RequestLimits, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimits.class);

    /** How long a request waits for Redis before the gateway's own limiter decides. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** How long connecting (and the handshake) may take, at start and when reconnecting. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final ProxyManager<String> buckets;
    private final BucketConfiguration configuration;
    private final String prefix;
    private final RequestLimits fallback;
    private final AtomicBoolean failing = new AtomicBoolean();

    RedisRateLimits(String url, String prefix, int limit, Duration period, RequestLimits fallback) {
        this(url, "", "", prefix, limit, period, fallback);
    }

    /**
     * @param username the ACL user to authenticate as; blank: the default user
     * @param password the password; blank: no AUTH beyond what {@code url} says
     */
    RedisRateLimits(
            String url,
            String username,
            String password,
            String prefix,
            int limit,
            Duration period,
            RequestLimits fallback) {
        RedisURI uri = RedisURI.create(url);
        if (!password.isEmpty()) {
            if (username.isEmpty()) {
                uri.setAuthentication(password);
            } else {
                uri.setAuthentication(username, password);
            }
        }
        uri.setTimeout(CONNECT_TIMEOUT);
        this.client = RedisClient.create(uri);
        // Lettuce reconnects by itself after a failure; the first connection is made here, so a
        // wrong URL, wrong credentials (or a Redis that is down) stop the gateway at start
        try {
            this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            // a Redis that wants a password lets a client without one connect, then refuses every command
            connection.sync().ping();
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException(
                    "cannot connect to the rate limit's Redis at " + uri.getHost() + ":" + uri.getPort() + ": "
                            + RedisErrors.reason(e),
                    e);
        }
        this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(period))
                .requestTimeout(TIMEOUT)
                .build();
        this.configuration = BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit).refillIntervally(limit, period))
                .build();
        this.prefix = prefix;
        this.fallback = fallback;
    }

    @Override
    public OptionalLong acquire(String client) {
        ConsumptionProbe probe;
        try {
            probe = buckets.builder()
                    .build(prefix + client, () -> configuration)
                    .tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                log.warn("Redis cannot count requests ({}): each gateway limits on its own until it can", e.toString());
            }
            return fallback.acquire(client);
        }
        if (failing.compareAndSet(true, false)) {
            log.info("Redis counts requests again: the rate limit is shared by the gateways");
        }
        return probe.isConsumed()
                ? OptionalLong.empty()
                : OptionalLong.of(Math.max(probe.getNanosToWaitForRefill(), 1));
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
