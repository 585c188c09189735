package dev.mapreduce.gateway;

import dev.mapreduce.gateway.security.Caller;
import jakarta.servlet.Filter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Stands in for API keys in tests of what tenants see: a request with {@code X-Test-Caller: tenant}
 * (or {@code tenant:admin}) runs as that caller; one without it stays {@link Caller#ANONYMOUS}. The
 * keys themselves are tested in {@code GatewaySecurityIT}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestCallers {

    public static final String HEADER = "X-Test-Caller";

    @Bean
    FilterRegistrationBean<Filter> testCallerFilter() {
        Filter filter = (request, response, chain) -> {
            String caller = ((jakarta.servlet.http.HttpServletRequest) request).getHeader(HEADER);
            if (caller != null) {
                String[] parts = caller.split(":");
                Caller.set(
                        (jakarta.servlet.http.HttpServletRequest) request,
                        new Caller(parts[0], parts.length > 1 && parts[1].equals("admin")));
            }
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        // after the API key filter (which, with no keys configured, makes every caller anonymous)
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }
}
