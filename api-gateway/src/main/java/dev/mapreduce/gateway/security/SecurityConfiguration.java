package dev.mapreduce.gateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * The filters in front of {@code /api/**} (and nothing else: the dashboard's files, the actuator
 * and the OpenAPI description stay open): first the API key and rate limit, then the body size.
 * They run after the observation filter, so refused calls still show in the HTTP metrics.
 *
 * <p>Resilience4j is used through its core modules rather than {@code resilience4j-spring-boot4}:
 * one limiter per client, created on demand and forgotten when idle, does not fit its registry
 * (which keeps every limiter forever), and its {@code resilience4j.*} properties would split the
 * settings that {@link GatewaySecurityProperties} keeps in one typed place.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String API = "/api/*";

    @Bean
    ApiKeys apiKeys(GatewaySecurityProperties properties) {
        ApiKeys keys = ApiKeys.parse(properties.apiKeys());
        if (keys.enabled()) {
            log.info(
                    "API keys on: {} key(s) for {} tenant(s) {}; /api/** calls without a known X-API-Key are"
                            + " answered 401",
                    keys.size(),
                    keys.tenants().size(),
                    keys.tenants());
            if (!keys.shortKeyTenants().isEmpty()) {
                log.warn(
                        "Some API keys are shorter than {} characters and easy to guess (tenants {})",
                        ApiKeys.RECOMMENDED_KEY_LENGTH,
                        keys.shortKeyTenants());
            }
        } else {
            log.info("API keys off (MAPREDUCE_API_KEYS is empty): every caller is the admin tenant 'anonymous'");
        }
        log.info(
                "Rate limit: {} requests per {} per {}",
                properties.rateLimit(),
                readable(properties.rateLimitPeriod()),
                keys.enabled() ? "tenant (per client address for unknown keys)" : "client address");
        return keys;
    }

    /** The inputs each tenant may read; tenants named there without an API key are reported. */
    @Bean
    TenantInputs tenantInputs(GatewaySecurityProperties properties, ApiKeys keys) {
        TenantInputs inputs = TenantInputs.parse(properties.inputGrants());
        if (keys.enabled()) {
            log.info(
                    "Input grants for tenants {}; other tenants' keys read no input unless they are admin keys",
                    inputs.tenants());
            List<String> unknown = inputs.tenants().stream()
                    .filter(t -> !keys.tenants().contains(t))
                    .toList();
            if (!unknown.isEmpty()) {
                log.warn("MAPREDUCE_INPUT_GRANTS names tenants without an API key: {}", unknown);
            }
        } else if (!inputs.tenants().isEmpty()) {
            log.warn("MAPREDUCE_INPUT_GRANTS is set but there are no API keys: every caller reads every input");
        }
        return inputs;
    }

    /** A Redis URL without its password, for the log. */
    static String redacted(String url) {
        return url.replaceFirst("//[^@/]*@", "//***@");
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** The rate limit: in Redis, shared by the gateways, when a URL is set; else in this gateway's memory. */
    @Bean
    RequestLimits requestLimits(GatewaySecurityProperties properties) {
        RateLimits own =
                new RateLimits(properties.rateLimit(), properties.rateLimitPeriod(), properties.rateLimitClients());
        if (properties.rateLimitRedisUrl().isBlank()) {
            return own;
        }
        log.info(
                "Rate limit shared by every gateway through Redis ({}, keys {}*)",
                redacted(properties.rateLimitRedisUrl()),
                properties.rateLimitRedisPrefix());
        return new RedisRateLimits(
                properties.rateLimitRedisUrl(),
                properties.rateLimitRedisUsername(),
                properties.rateLimitRedisPassword(),
                properties.rateLimitRedisPrefix(),
                properties.rateLimit(),
                properties.rateLimitPeriod(),
                own);
    }

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys, RequestLimits limits, JsonMapper json) {
        FilterRegistrationBean<ApiKeyFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyFilter(keys, limits, new ProblemResponses(json)));
        registration.addUrlPatterns(API);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    /**
     * The Host check, in front of everything (the dashboard and the actuator too): on when the
     * gateway has no keys and listens on a loopback address only, or when allowed hosts are set.
     */
    @Bean
    FilterRegistrationBean<HostCheckFilter> hostCheckFilter(
            ApiKeys keys,
            GatewaySecurityProperties properties,
            JsonMapper json,
            @Value("${server.address:}") String bindAddress) {
        boolean loopbackOnly = isLoopback(bindAddress);
        boolean on = !properties.allowedHosts().isEmpty() || (!keys.enabled() && loopbackOnly);
        Set<String> allowed = HostCheckFilter.allowedHosts(properties.allowedHosts());
        FilterRegistrationBean<HostCheckFilter> registration =
                new FilterRegistrationBean<>(new HostCheckFilter(allowed, new ProblemResponses(json)));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 99);
        registration.setEnabled(on);
        if (on) {
            log.info("Host header check on: requests for hosts other than {} are answered 400", allowed);
        } else if (!keys.enabled()) {
            log.warn(
                    "No API keys and listening on {}: anyone who can reach this port is the admin tenant;"
                            + " set MAPREDUCE_API_KEYS (and MAPREDUCE_ALLOWED_HOSTS to check the Host header)",
                    bindAddress.isBlank() ? "every address" : bindAddress);
        }
        return registration;
    }

    /** Whether the server listens on a loopback address only: a literal address or localhost, no DNS. */
    static boolean isLoopback(String bindAddress) {
        if (bindAddress == null || bindAddress.isBlank()) {
            return false;
        }
        String address = bindAddress.strip();
        if (address.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!address.matches("[0-9.]+|\\[?[0-9A-Fa-f:.]+]?")) {
            return false; // a host name: resolving it here could take long, and it is not loopback by design
        }
        try {
            return InetAddress.getByName(address.replace("[", "").replace("]", ""))
                    .isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(JsonMapper json) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(new ProblemResponses(json)));
        registration.addUrlPatterns(API);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 101);
        return registration;
    }
}
