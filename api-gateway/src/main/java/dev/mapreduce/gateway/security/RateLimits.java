package dev.mapreduce.gateway.security;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One Resilience4j rate limiter per client (a tenant, or a client address), none of them waiting:
 * a call over the limit is refused at once with the time until the next permission.
 *
 * <p>Memory is bounded. A limiter left idle for two periods is forgotten: by then it would have
 * its full limit again, exactly as a new one does, so forgetting it lets no client through that
 * it would have stopped. While {@code maxClients} limiters are busy, every further client shares
 * a single overflow limiter, so a flood of new addresses is limited as one client.
 */
final class RateLimits implements RequestLimits {

    private static final class Tracked {
        final AtomicRateLimiter limiter;
        volatile long lastUsed;

        Tracked(AtomicRateLimiter limiter, long now) {
            this.limiter = limiter;
            this.lastUsed = now;
        }
    }

    private final RateLimiterConfig config;
    private final int maxClients;
    private final long idleNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Tracked> limiters = new ConcurrentHashMap<>();
    private final AtomicRateLimiter overflow;
    private final AtomicLong nextSweep;

    RateLimits(int limit, Duration period, int maxClients) {
        this(limit, period, maxClients, System::nanoTime);
    }

    RateLimits(int limit, Duration period, int maxClients, LongSupplier nanoTime) {
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build();
        this.maxClients = maxClients;
        this.idleNanos = period.multipliedBy(2).toNanos();
        this.nanoTime = nanoTime;
        this.overflow = new AtomicRateLimiter("overflow", config);
        this.nextSweep = new AtomicLong(nanoTime.getAsLong() + idleNanos);
    }

    /**
     * Takes one permission from {@code client}'s limiter: empty when granted, else how long until
     * the next permission, in nanoseconds.
     */
    @Override
    public OptionalLong acquire(String client) {
        AtomicRateLimiter limiter = limiterOf(client);
        if (limiter.acquirePermission()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(limiter.getDetailedMetrics().getNanosToWait(), 1));
    }

    /** How many clients have a limiter of their own now. */
    int clients() {
        return limiters.size();
    }

    /** Whole seconds to wait, at least 1, as {@code Retry-After} wants them. */
    static long retryAfterSeconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    private AtomicRateLimiter limiterOf(String client) {
        long now = nanoTime.getAsLong();
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + idleNanos)) {
            sweep(now);
        }
        Tracked tracked = limiters.get(client);
        if (tracked == null) {
            if (limiters.size() >= maxClients) {
                // the periodic sweep makes room; sweeping here would cost every flooding request a scan
                return overflow;
            }
            tracked = limiters.computeIfAbsent(client, c -> new Tracked(new AtomicRateLimiter(c, config), now));
        }
        tracked.lastUsed = now;
        return tracked.limiter;
    }

    private void sweep(long now) {
        limiters.values().removeIf(tracked -> now - tracked.lastUsed >= idleNanos);
    }
}
