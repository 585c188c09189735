package dev.mapreduce.gateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 400 to a request whose {@code Host} is not one of the allowed names: the defence against
 * DNS rebinding. Without API keys a gateway on 127.0.0.1 trusts whoever reaches it, and a web page
 * the user opens can reach it through a name of the attacker's that resolves to 127.0.0.1; such a
 * request still carries the attacker's name in its {@code Host} header. The allowed names are
 * {@code localhost}, {@code 127.0.0.1} and {@code [::1]} plus the configured ones; any port is
 * accepted. A request without a {@code Host} header (HTTP/1.0) comes from no browser and passes.
 */
final class HostCheckFilter extends OncePerRequestFilter {

    // ordered, as the names are listed to a refused client (Set.of and Set.copyOf change their order per JVM)
    static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> allowed;
    private final ProblemResponses problems;

    HostCheckFilter(Set<String> allowed, ProblemResponses problems) {
        this.allowed = Collections.unmodifiableSet(new LinkedHashSet<>(allowed));
        this.problems = problems;
    }

    /** The loopback names and the comma-separated {@code extra} ones, lower-cased, without ports. */
    static Set<String> allowedHosts(String extra) {
        Set<String> hosts = new LinkedHashSet<>(LOOPBACK_NAMES);
        Arrays.stream(extra == null ? new String[0] : extra.split(","))
                .map(String::strip)
                .filter(h -> !h.isEmpty())
                .map(HostCheckFilter::hostName)
                .forEach(hosts::add);
        return hosts;
    }

    /** The host of a Host header value, lower-cased, without its port: {@code [::1]:8090} → {@code [::1]}. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        h = colon < 0 ? h : h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getHeader(HttpHeaders.HOST);
        if (host == null || allowed.contains(hostName(host))) {
            chain.doFilter(request, response);
            return;
        }
        problems.write(
                request,
                response,
                HttpStatus.BAD_REQUEST,
                "Host not allowed",
                "this gateway answers only requests for " + String.join(", ", allowed)
                        + " (set MAPREDUCE_ALLOWED_HOSTS to add names, or MAPREDUCE_API_KEYS)");
    }
}
