package dev.mapreduce.coordinator;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses calls to the internal API without the service token ({@link InternalAuthSettings}): a 401
 * problem detail with {@code WWW-Authenticate: Bearer}. {@code GET /internal/leadership} stays open:
 * it says only whether this replica leads and its name, and scripts poll it as they poll health.
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
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean internal = path.equals("/internal") || path.startsWith("/internal/");
        return !settings.enabled() || !internal || path.equals("/internal/leadership");
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
