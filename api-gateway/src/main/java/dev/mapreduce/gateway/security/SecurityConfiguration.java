package dev.mapreduce.gateway.security;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(
            ApiKeys keys, GatewaySecurityProperties properties, JsonMapper json) {
        RateLimits limits =
                new RateLimits(properties.rateLimit(), properties.rateLimitPeriod(), properties.rateLimitClients());
        FilterRegistrationBean<ApiKeyFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyFilter(keys, limits, new ProblemResponses(json)));
        registration.addUrlPatterns(API);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
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
