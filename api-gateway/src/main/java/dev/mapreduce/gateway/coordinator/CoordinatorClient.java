package dev.mapreduce.gateway.coordinator;

import dev.mapreduce.protocol.JobRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator's internal API ({@code /internal/jobs}), seen from the gateway.
 *
 * <p>A 2xx answer comes back as its body. Anything else becomes an {@link ErrorResponseException}
 * that renders as the gateway's own problem detail:
 *
 * <ul>
 *   <li>a 4xx or 503 problem ({@code application/problem+json}) is relayed with its status, title,
 *       detail and extensions such as {@code errors}; its {@code instance} becomes the gateway's path;
 *   <li>no connection or no answer in time is a 503 ({@link CoordinatorUnavailableException});
 *   <li>any other answer (5xx, a 4xx that is not a problem, a redirect) is a 502
 *       ({@link CoordinatorErrorException}) and is logged, not shown.
 * </ul>
 */
@Component
public class CoordinatorClient {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorClient.class);

    private final RestClient http;
    private final JsonMapper json;
    private final CoordinatorProperties properties;

    CoordinatorClient(RestClient.Builder builder, JsonMapper json, CoordinatorProperties properties) {
        this.json = json;
        this.properties = properties;
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(client);
        requestFactory.setReadTimeout(properties.readTimeout());
        this.http = builder.baseUrl(properties.url().toString())
                .requestFactory(requestFactory)
                .defaultHeaders(headers ->
                        headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)))
                .build();
    }

    /** A job the coordinator accepted: its id and the coordinator's answer, to pass on unchanged. */
    public record SubmittedJob(String jobId, byte[] body) {}

    /** Submits a validated job, with its defaults filled in. */
    public SubmittedJob submitJob(JobRequest request) {
        byte[] body = call(
                "submit a job",
                http.post()
                        .uri("/internal/jobs")
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(request));
        JsonNode answer = parse(body);
        JsonNode jobId = answer == null ? null : answer.get("jobId");
        if (jobId == null || !jobId.isString()) {
            log.warn("The coordinator accepted a job but answered without a jobId: {}", abbreviate(body));
            throw new CoordinatorErrorException("the coordinator answered without a job id");
        }
        return new SubmittedJob(jobId.stringValue(), body);
    }

    /** The coordinator's view of a job, as JSON to pass on unchanged. */
    public byte[] job(UUID jobId) {
        return call("get job " + jobId, http.get().uri("/internal/jobs/{jobId}", jobId));
    }

    private byte[] call(String what, RestClient.RequestHeadersSpec<?> request) {
        try {
            return request.exchange((req, response) -> {
                HttpStatusCode status = response.getStatusCode();
                byte[] body = response.getBody().readAllBytes();
                if (status.is2xxSuccessful()) {
                    return body;
                }
                throw failure(what, status, response.getHeaders(), body);
            });
        } catch (ResourceAccessException e) {
            // a connect timeout is also an HttpTimeoutException, but it means "cannot be reached"
            boolean timedOut = e.getCause() instanceof HttpTimeoutException
                    && !(e.getCause() instanceof HttpConnectTimeoutException);
            log.warn(
                    "Coordinator at {} unavailable ({}): {}",
                    properties.url(),
                    what,
                    e.getMostSpecificCause().toString());
            throw new CoordinatorUnavailableException(
                    timedOut
                            ? "the coordinator did not answer within " + readable(properties.readTimeout())
                            : "the coordinator cannot be reached",
                    e);
        }
    }

    private ErrorResponseException failure(String what, HttpStatusCode status, HttpHeaders headers, byte[] body) {
        boolean problem = MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(headers.getContentType());
        JsonNode answer = problem ? parse(body) : null;
        boolean relayable = status.is4xxClientError() || status.value() == HttpStatus.SERVICE_UNAVAILABLE.value();
        if (relayable && answer != null && answer.isObject()) {
            ErrorResponseException relayed = new ErrorResponseException(status, relayedProblem(status, answer), null);
            if (headers.getFirst(HttpHeaders.RETRY_AFTER) != null) {
                relayed.getHeaders().set(HttpHeaders.RETRY_AFTER, headers.getFirst(HttpHeaders.RETRY_AFTER));
            }
            return relayed;
        }
        log.warn(
                "The coordinator answered {} to '{}' with {}: {}",
                status,
                what,
                headers.getContentType(),
                abbreviate(body));
        if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            return new CoordinatorUnavailableException("the coordinator is unavailable", null);
        }
        return new CoordinatorErrorException("the coordinator failed to handle the request");
    }

    /** The coordinator's problem as the gateway's: same status, title, detail and extensions. */
    private static ProblemDetail relayedProblem(HttpStatusCode status, JsonNode answer) {
        ProblemDetail problem = ProblemDetail.forStatus(status);
        answer.forEachEntry((name, value) -> {
            switch (name) {
                case "status", "instance" -> {} // the status is the answer's; the instance is the gateway's path
                case "type" -> {
                    if (value.isString()) {
                        try {
                            problem.setType(URI.create(value.stringValue()));
                        } catch (IllegalArgumentException e) {
                            // not a URI: leave the default type
                        }
                    }
                }
                case "title" -> problem.setTitle(value.isString() ? value.stringValue() : null);
                case "detail" -> problem.setDetail(value.isString() ? value.stringValue() : null);
                default -> problem.setProperty(name, value);
            }
        });
        return problem;
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static String abbreviate(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
        return body.length > 500 ? text + "…" : text;
    }
}
