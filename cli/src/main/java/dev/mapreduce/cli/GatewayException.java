package dev.mapreduce.cli;

import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway said no, or could not be reached. Carries the lines to print (the first starts with
 * {@code mr: }) and the exit status: 2 when the caller asked for something wrong, 1 when the
 * request was fine but could not be served (authentication, rate limit, server side, network).
 */
final class GatewayException extends RuntimeException {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_PLAIN_BODY = 200;
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private final int status;
    private final List<String> lines;
    private final Duration retryAfter;

    private GatewayException(int status, List<String> lines, Duration retryAfter) {
        super(String.join("\n", lines));
        this.status = status;
        this.lines = List.copyOf(lines);
        this.retryAfter = retryAfter;
    }

    /** An answer with a non-success status: an RFC 9457 problem detail, or whatever else came back. */
    static GatewayException answer(int status, String contentType, byte[] body, Optional<String> retryAfterHeader) {
        List<String> lines = new ArrayList<>();
        JsonNode problem = contentType != null && contentType.contains("json") ? parse(body) : null;
        if (problem != null && problem.isObject()) {
            String title = text(problem, "title");
            String detail = text(problem, "detail");
            lines.add("mr: " + (title != null ? title : reason(status)) + (detail != null ? ": " + detail : ""));
            for (JsonNode error : problem.path("errors")) {
                String field = text(error, "field");
                String message = text(error, "message");
                JsonNode line = error.get("line");
                String where = line != null && line.asInt() > 0
                        ? "line " + line.asInt() + ", column "
                                + error.path("column").asInt() + ": "
                        : "";
                lines.add("  " + (field != null ? field + ": " : "") + where
                        + (message != null ? message : error.toString()));
            }
        } else {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            String firstLine = text.lines().findFirst().orElse("");
            if (firstLine.length() > MAX_PLAIN_BODY) {
                firstLine = firstLine.substring(0, MAX_PLAIN_BODY) + "…";
            }
            lines.add(
                    "mr: " + reason(status) + " (HTTP " + status + ")" + (firstLine.isEmpty() ? "" : ": " + firstLine));
        }
        return new GatewayException(status, Text.clean(lines), retryAfter(retryAfterHeader));
    }

    /** No connection at all: nothing listening, a name that does not resolve, no answer to connect. */
    static GatewayException unreachable(URI gateway, java.io.IOException cause) {
        return new GatewayException(
                0, List.of("mr: cannot reach the gateway at " + gateway + ": " + reasonOf(cause)), null);
    }

    /** A connection that broke, or fell silent, before the whole answer came. */
    static GatewayException lost(URI gateway, java.io.IOException cause) {
        return new GatewayException(
                0, List.of("mr: lost the connection to the gateway at " + gateway + ": " + reasonOf(cause)), null);
    }

    /** A success whose body is not the JSON the API promises: another server on that port, most likely. */
    static GatewayException notJson(URI gateway, JacksonException cause) {
        return new GatewayException(
                0,
                List.of("mr: the gateway at " + gateway + " answered with something that is not JSON: "
                        + Text.clean(cause.getOriginalMessage())),
                null);
    }

    /** The HTTP status, or 0 when there was no answer. */
    int status() {
        return status;
    }

    List<String> lines() {
        return lines;
    }

    /** 2 for what the caller got wrong, 1 for what went wrong elsewhere (401, 403 and 429 included). */
    int exitCode() {
        return status >= 400 && status < 500 && status != 401 && status != 403 && status != 429 ? 2 : 1;
    }

    /** Whether asking again later may work: rate limited, or the cluster cannot answer right now. */
    boolean isTransient() {
        return status == 429 || (status == 503 && retryAfter != null);
    }

    /** The wait the gateway asked for, or null when it named none. */
    Duration retryAfter() {
        return retryAfter;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    private static String reason(int status) {
        return REASONS.getOrDefault(status, "HTTP " + status);
    }

    private static Duration retryAfter(Optional<String> header) {
        try {
            return header.map(String::strip)
                    .map(Long::parseLong)
                    .map(Duration::ofSeconds)
                    .orElse(null);
        } catch (NumberFormatException httpDate) {
            return null; // the gateway sends whole seconds; anything else is treated as no hint
        }
    }

    /** The most specific message in the chain: the JDK's ConnectException often has none of its own. */
    private static String reasonOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException
                ? "connection refused"
                : e.getClass().getSimpleName();
    }
}
