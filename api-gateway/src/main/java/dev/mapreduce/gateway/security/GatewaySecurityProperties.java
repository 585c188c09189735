package dev.mapreduce.gateway.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call {@code /api/**} and how often.
 *
 * @param apiKeys comma-separated {@code tenant:key} or {@code tenant:key:admin} entries
 *     ({@code MAPREDUCE_API_KEYS}); empty (the default) turns authentication off and every caller
 *     is the admin tenant {@code anonymous}. Parsed and checked at startup by {@link ApiKeys}.
 * @param inputGrants comma-separated {@code tenant:topic:<pattern>}, {@code tenant:path:<folder>} and
 *     {@code tenant:s3:s3://<bucket>/<prefix>} entries ({@code MAPREDUCE_INPUT_GRANTS}): the inputs each
 *     tenant of a non-admin key may read, none without an entry; admin keys read everything. Parsed
 *     and checked at startup by {@link TenantInputs}
 * @param rateLimit requests one tenant (one client address when no keys are configured) may make
 *     per {@code rateLimitPeriod} ({@code MAPREDUCE_RATE_LIMIT}); more are answered 429
 * @param rateLimitPeriod the period the rate limit counts in ({@code MAPREDUCE_RATE_LIMIT_PERIOD})
 * @param rateLimitClients how many tenants and client addresses get a rate limiter of their own
 *     ({@code MAPREDUCE_RATE_LIMIT_CLIENTS}); idle ones are forgotten, and while this many are busy
 *     every further client shares one limiter, so a flood of addresses cannot exhaust memory
 * @param rateLimitRedisUrl a Redis URL ({@code redis://[:password@]host:port[/db]}) to keep the rate
 *     limit in, shared by every gateway that uses it ({@code MAPREDUCE_RATE_LIMIT_REDIS_URL}); empty:
 *     each gateway limits in its own memory
 * @param rateLimitRedisUsername the ACL user the gateway authenticates to that Redis as
 *     ({@code REDIS_USERNAME}); blank: the default user
 * @param rateLimitRedisPassword the password for that Redis ({@code REDIS_PASSWORD}); blank: the URL's own, if any
 * @param rateLimitRedisPrefix the prefix of the rate limit's Redis keys, one per client
 *     ({@code MAPREDUCE_RATE_LIMIT_REDIS_PREFIX})
 * @param resultStreamsPerTenant result downloads ({@code GET /api/jobs/{id}/results}) one tenant may
 *     stream at once; one more is a 429 with {@code Retry-After}
 *     ({@code MAPREDUCE_RESULT_STREAMS_PER_TENANT}). Each holds a connection of the gateway's pool
 *     ({@code GATEWAY_DB_POOL}) while it streams. Without API keys there are no tenants and no cap
 * @param allowedHosts comma-separated host names (no ports) the gateway answers besides
 *     {@code localhost}, {@code 127.0.0.1} and {@code [::1]} ({@code MAPREDUCE_ALLOWED_HOSTS}). The
 *     {@code Host} header is checked when there are no API keys and the gateway listens on a
 *     loopback address, or whenever this is set; any other host is a 400 (DNS rebinding)
 */
@ConfigurationProperties("mapreduce.gateway")
public record GatewaySecurityProperties(
        @DefaultValue("") String apiKeys,
        @DefaultValue("") String inputGrants,
        @DefaultValue("100") int rateLimit,
        @DefaultValue("1s") Duration rateLimitPeriod,
        @DefaultValue("10000") int rateLimitClients,
        @DefaultValue("") String rateLimitRedisUrl,
        @DefaultValue("") String rateLimitRedisUsername,
        @DefaultValue("") String rateLimitRedisPassword,
        @DefaultValue("mapreduce:rate-limit:") String rateLimitRedisPrefix,
        @DefaultValue("4") int resultStreamsPerTenant,
        @DefaultValue("") String allowedHosts) {

    public GatewaySecurityProperties {
        apiKeys = apiKeys == null ? "" : apiKeys;
        inputGrants = inputGrants == null ? "" : inputGrants;
        allowedHosts = allowedHosts == null ? "" : allowedHosts.strip();
        rateLimitRedisUsername = rateLimitRedisUsername == null ? "" : rateLimitRedisUsername.strip();
        rateLimitRedisPassword = rateLimitRedisPassword == null ? "" : rateLimitRedisPassword;
        if (!rateLimitRedisUsername.isEmpty() && rateLimitRedisPassword.isEmpty()) {
            throw new IllegalArgumentException("REDIS_USERNAME (mapreduce.gateway.rate-limit-redis-username) is set"
                    + " but not REDIS_PASSWORD: an ACL user needs its password");
        }
        if (rateLimit < 1) {
            throw new IllegalArgumentException(
                    "mapreduce.gateway.rate-limit (MAPREDUCE_RATE_LIMIT) must be at least 1, not " + rateLimit);
        }
        if (rateLimitPeriod == null || rateLimitPeriod.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("mapreduce.gateway.rate-limit-period (MAPREDUCE_RATE_LIMIT_PERIOD) must"
                    + " be at least 1ms, not " + rateLimitPeriod);
        }
        if (resultStreamsPerTenant < 1) {
            throw new IllegalArgumentException(
                    "mapreduce.gateway.result-streams-per-tenant (MAPREDUCE_RESULT_STREAMS_PER_TENANT) must be at"
                            + " least 1, not " + resultStreamsPerTenant);
        }
        if (rateLimitClients < 1) {
            throw new IllegalArgumentException("mapreduce.gateway.rate-limit-clients (MAPREDUCE_RATE_LIMIT_CLIENTS)"
                    + " must be at least 1, not " + rateLimitClients);
        }
    }

    /** Never shows the keys: a record's own toString would. */
    @Override
    public String toString() {
        return "GatewaySecurityProperties[apiKeys=" + (apiKeys.isBlank() ? "none" : "(hidden)") + ", inputGrants="
                + inputGrants + ", rateLimit="
                + rateLimit + ", rateLimitPeriod=" + rateLimitPeriod + ", rateLimitClients=" + rateLimitClients
                + ", rateLimitRedisUrl=" + (rateLimitRedisUrl.isBlank() ? "none" : "(hidden)")
                + ", rateLimitRedisUsername=" + rateLimitRedisUsername + ", rateLimitRedisPassword="
                + (rateLimitRedisPassword.isEmpty() ? "none" : "(hidden)")
                + ", resultStreamsPerTenant=" + resultStreamsPerTenant + ", allowedHosts=" + allowedHosts + "]";
    }
}
