package dev.mapreduce.gateway.coordinator;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway reaches the coordinator's internal API.
 *
 * @param url base URLs of the coordinator replicas, separated by commas ({@code COORDINATOR_URL}),
 *     e.g. {@code http://coordinator-1:8080,http://coordinator-2:8080}; blanks around and between
 *     them and trailing slashes are ignored. Each must be an absolute {@code http} or {@code https}
 *     URL with a host and no query or fragment, else the gateway does not start. The client tries
 *     them in order from the last one it could connect to, and moves on only when it cannot connect.
 * @param connectTimeout how long to wait for a connection to one coordinator before trying the next
 *     or answering 503 ({@code COORDINATOR_CONNECT_TIMEOUT}); see {@link #effectiveConnectTimeout()}
 * @param readTimeout how long to wait for the coordinator's answer, connection included, before
 *     answering 503 ({@code COORDINATOR_READ_TIMEOUT})
 */
@ConfigurationProperties("mapreduce.coordinator")
public record CoordinatorProperties(
        @DefaultValue("http://127.0.0.1:8080") List<String> url,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout) {

    public CoordinatorProperties {
        url = baseUrls(url);
        requirePositive(connectTimeout, "connect-timeout (COORDINATOR_CONNECT_TIMEOUT)");
        requirePositive(readTimeout, "read-timeout (COORDINATOR_READ_TIMEOUT)");
    }

    /**
     * The connect timeout actually used: the configured one when it is shorter than the read
     * timeout, else half the read timeout. The read timeout runs from the start of a request,
     * connecting included; were the connect timeout not the shorter, a coordinator that cannot be
     * connected to would time out as one that does not answer, and the next one would never be tried.
     */
    public Duration effectiveConnectTimeout() {
        return connectTimeout.compareTo(readTimeout) < 0 ? connectTimeout : readTimeout.dividedBy(2);
    }

    /** The coordinators' base URLs, in the configured order, without trailing slashes. */
    public List<URI> urls() {
        return url.stream().map(URI::create).toList();
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("mapreduce.coordinator." + name + " must be positive, not " + duration);
        }
    }

    private static List<String> baseUrls(List<String> configured) {
        List<String> urls = new ArrayList<>();
        if (configured != null) {
            for (String entry : configured) {
                // Boot splits a comma-separated value already; a value bound some other way may still hold commas
                for (String part : entry == null ? new String[0] : entry.split(",", -1)) {
                    String trimmed = part.strip();
                    if (!trimmed.isEmpty()) {
                        urls.add(baseUrl(trimmed));
                    }
                }
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("mapreduce.coordinator.url (COORDINATOR_URL) lists no URL: give the"
                    + " coordinator's base URL, or several separated by commas");
        }
        return List.copyOf(urls);
    }

    private static String baseUrl(String text) {
        String stripped = text;
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(stripped);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getMessage());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw invalid(text, "it must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw invalid(text, "it has no valid host name");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(text, "a base URL has no query or fragment");
        }
        return stripped;
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("mapreduce.coordinator.url (COORDINATOR_URL) lists '" + text
                + "', which is not a coordinator base URL: " + reason);
    }
}
