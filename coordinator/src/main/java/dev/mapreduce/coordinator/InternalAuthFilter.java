package dev.mapreduce.coordinator;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses calls to the internal API without the service token ({@link InternalAuthSettings}): a 401
 * problem detail with {@code WWW-Authenticate: Bearer}. Every path under {@code /internal} needs it,
 * {@code /internal/leadership} included: which replica leads, and its name, is the internal plane's
 * business; health and Prometheus are the open doors.
 */
@Component
class InternalAuthFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final InternalAuthSettings settings;

    InternalAuthFilter(InternalAuthSettings settings) {
        this.settings = settings;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // the path as sent and as the container normalised it (//, /./, ;params): either may be what routes
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        String normalised = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !settings.enabled() || !(internal(raw) || internal(normalised));
    }

    private static boolean internal(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.equals("/internal") || lower.startsWith("/internal/") || lower.startsWith("/internal;");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(response, "the internal API needs the service token (Authorization: Bearer …)");
            return;
        }
        if (!settings.matches(authorization.substring(BEARER.length()).strip())) {
            refuse(response, "the service token is not this coordinator's");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"mapreduce-internal\"");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        String body = """
                {"type":"about:blank","title":"Unauthorized","status":401,"detail":"%s"}"""
                .formatted(detail);
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
