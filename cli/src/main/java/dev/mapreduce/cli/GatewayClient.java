package dev.mapreduce.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's public API ({@code docs/api.md}) over plain HTTP. Every answer that is not a
 * success becomes a {@link GatewayException}; the API key goes in {@code X-API-Key} and nowhere else.
 *
 * <p>On {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: every {@code mr} command is
 * a short process, and the first request of the newer client (its classes, executor and selector
 * thread) took 0.8-1.0 s against 0.1-0.15 s for this one, measured from nothing on JDK 17. Kept-alive
 * connections are reused between the requests of one command, as with the other client.
 */
final class GatewayClient {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The longest wait for a byte of an answer: long enough for a submit that resolves time ranges in
     * Kafka (the gateway's own timeout is 10 s), and for a results body, which streams.
     */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS) // result values are exact
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final URI base;
    private final String apiKey;

    GatewayClient(URI base, String apiKey) {
        this.base = Objects.requireNonNull(base);
        this.apiKey = apiKey;
    }

    URI base() {
        return base;
    }

    static JsonMapper json() {
        return JSON;
    }

    JsonNode get(String path) {
        return parse(send("GET", path, "application/json", null));
    }

    /** The answer's body exactly as it came, for {@code --json}. */
    String getText(String path) {
        return new String(send("GET", path, "application/json", null), StandardCharsets.UTF_8);
    }

    JsonNode post(String path, JsonNode body) {
        byte[] answer =
                send("POST", path, "application/json", body == null ? new byte[0] : JSON.writeValueAsBytes(body));
        return answer.length == 0 ? JSON.nullNode() : parse(answer);
    }

    void delete(String path) {
        send("DELETE", path, "application/json", null);
    }

    /**
     * Opens a successful answer's body as a stream for the caller to read and close: large
     * results pass through without sitting in memory.
     */
    InputStream open(String path, String accept) {
        HttpURLConnection connection = connect("GET", path, accept, false);
        try {
            return answer(connection, null).getInputStream();
        } catch (IOException e) {
            connection.disconnect();
            throw GatewayException.lost(base, e);
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

    /** A connection to the gateway for one request, connected: what fails here never reached it. */
    private HttpURLConnection connect(String method, String path, String accept, boolean withBody) {
        // appended, not resolved: a gateway behind a proxy may live under a path prefix
        String prefix = base.toString().replaceAll("/+$", "");
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(prefix + path).toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            connection.setRequestProperty("Accept", accept);
            if (apiKey != null && !apiKey.isEmpty()) {
                connection.setRequestProperty(API_KEY_HEADER, apiKey);
            }
            if (withBody) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
            }
            connection.connect();
            return connection;
        } catch (IOException e) {
            throw GatewayException.unreachable(base, e);
        }
    }

    private byte[] send(String method, String path, String accept, byte[] body) {
        HttpURLConnection connection = connect(method, path, accept, body != null);
        try (InputStream in = answer(connection, body).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            connection.disconnect();
            throw GatewayException.lost(base, e);
        }
    }

    /**
     * Sends the request (with its body, if any) and returns the connection once its status is a
     * success; any other status becomes a {@link GatewayException} carrying the problem it came with.
     */
    private static HttpURLConnection answer(HttpURLConnection connection, byte[] body) throws IOException {
        if (body != null) {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        if (status / 100 == 2) {
            return connection;
        }
        byte[] problem;
        try (InputStream error = connection.getErrorStream()) {
            problem = error == null ? new byte[0] : error.readNBytes(MAX_ERROR_BODY);
        }
        throw GatewayException.answer(
                status,
                connection.getContentType(),
                problem,
                Optional.ofNullable(connection.getHeaderField("Retry-After")));
    }
}
