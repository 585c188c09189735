package dev.mapreduce.gateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates and rate-limits every {@code /api/**} call. With keys configured, the
 * {@code X-API-Key} header must name one, else 401; with none, every caller is
 * {@link Caller#ANONYMOUS}. The key is checked first, to know whose limit a call counts against:
 * its tenant's for a known key, its client address's otherwise (no keys configured, or a missing
 * or unknown key, so that guessing keys is limited too). Over the limit is a 429 with
 * {@code Retry-After}, whatever the key.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final RequestLimits limits;
    private final ProblemResponses problems;

    ApiKeyFilter(ApiKeys keys, RequestLimits limits, ProblemResponses problems) {
        this.keys = keys;
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = keys.enabled() ? keys.find(request.getHeader(HEADER)) : Optional.of(Caller.ANONYMOUS);
        String client = keys.enabled() && caller.isPresent()
                ? "tenant " + caller.get().tenant()
                : "address " + request.getRemoteAddr();
        OptionalLong wait = limits.acquire(client);
        if (wait.isPresent()) {
            long seconds = RateLimits.retryAfterSeconds(wait.getAsLong());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            problems.write(
                    request,
                    response,
                    HttpStatus.TOO_MANY_REQUESTS,
                    "Too many requests",
                    "more than the rate limit allows; retry in " + seconds + "s");
            return;
        }
        if (caller.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "ApiKey");
            problems.write(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "API key required",
                    request.getHeader(HEADER) == null
                            ? "this gateway needs an API key in the " + HEADER + " header"
                            : "the " + HEADER + " header names no known API key");
            return;
        }
        Caller.set(request, caller.get());
        chain.doFilter(request, response);
    }
}
