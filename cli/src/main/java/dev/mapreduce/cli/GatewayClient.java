package dev.mapreduce.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's public API ({@code docs/api.md}) over plain HTTP. Every answer that is not a
 * success becomes a {@link GatewayException}; the API key goes in {@code X-API-Key} and nowhere else.
 */
final class GatewayClient {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Long enough for a submit that resolves time ranges in Kafka; the gateway's own timeout is 10 s. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS) // result values are exact
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final URI base;
    private final String apiKey;
    private final HttpClient http;

    GatewayClient(URI base, String apiKey) {
        this.base = Objects.requireNonNull(base);
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI base() {
        return base;
    }

    static JsonMapper json() {
        return JSON;
    }

    JsonNode get(String path) {
        return parse(send(request(path, "application/json").GET()));
    }

    /** The answer's body exactly as it came, for {@code --json}. */
    String getText(String path) {
        return new String(send(request(path, "application/json").GET()), StandardCharsets.UTF_8);
    }

    JsonNode post(String path, JsonNode body) {
        HttpRequest.Builder request = request(path, "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        body == null ? new byte[0] : JSON.writeValueAsBytes(body)));
        byte[] answer = send(request);
        return answer.length == 0 ? JSON.nullNode() : parse(answer);
    }

    void delete(String path) {
        send(request(path, "application/json").DELETE());
    }

    /**
     * Opens a successful answer's body as a stream for the caller to read and close: large
     * results pass through without sitting in memory. No overall timeout, as a long body is fine.
     */
    InputStream open(String path, String accept) {
        HttpRequest request = request(path, accept).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 == 2) {
                return response.body();
            }
            try (InputStream body = response.body()) {
                throw failure(response, body.readNBytes(MAX_ERROR_BODY));
            }
        } catch (IOException e) {
            throw GatewayException.unreachable(base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** {@code path?name=value&…} with the values encoded; null values left out. */
    static String query(String path, Map<String, ?> parameters) {
        String query = parameters.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + encode(e.getValue().toString()))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? path : path + "?" + query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw GatewayException.notJson(base, e);
        }
    }

    private HttpRequest.Builder request(String path, String accept) {
        // appended, not resolved: a gateway behind a proxy may live under a path prefix
        String prefix = base.toString().replaceAll("/+$", "");
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(prefix + path)).header("Accept", accept);
        if (apiKey != null && !apiKey.isEmpty()) {
            request.header(API_KEY_HEADER, apiKey);
        }
        return request;
    }

    private byte[] send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response =
                    http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw failure(response, response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw GatewayException.unreachable(base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static GatewayException failure(HttpResponse<?> response, byte[] body) {
        return GatewayException.answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                body,
                response.headers().firstValue("Retry-After"));
    }
}
