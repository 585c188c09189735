package dev.mapreduce.gateway.coordinator;

import dev.mapreduce.protocol.InputGrants;
import dev.mapreduce.protocol.JobRequest;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
 *
 * <p>Several coordinators (replicas, one of them leading, all serving the internal API) can be
 * configured. A call goes to the last one a connection could be made to; only when no connection
 * can be made to it (refused, connect timeout, unknown or unreachable host) does it try the next,
 * in the configured order, and so on once round. Once a connection is made, whatever happens next
 * (an answer of any status, a read timeout, a connection reset) is that call's outcome: the
 * request may have reached the coordinator, and a job submitted twice would run twice.
 *
 * <p>Every call carries the gateway's service credential ({@link InternalCredential}), without which
 * a coordinator refuses it (401) and never trusts the owner header.
 *
 * <p>Every call goes through the {@link CoordinatorCircuitBreaker}: after repeated failures it is a
 * 503 with {@code Retry-After} at once, without waiting for a coordinator that is not answering.
 */
@Component
public class CoordinatorClient {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorClient.class);

    /** One coordinator replica: its base URL and a client for it. */
    private record Coordinator(URI url, RestClient http) {}

    /** A coordinator's answer, read in full. */
    private record Answer(HttpStatusCode status, HttpHeaders headers, byte[] body) {}

    private final List<Coordinator> coordinators;
    /** Index of the coordinator to try first: the last one a connection could be made to. */
    private final AtomicInteger current = new AtomicInteger();

    private final JsonMapper json;
    private final CoordinatorProperties properties;
    private final CoordinatorCircuitBreaker breaker;

    CoordinatorClient(
            RestClient.Builder builder,
            JsonMapper json,
            CoordinatorProperties properties,
            InternalCredential credential,
            CoordinatorCircuitBreaker breaker) {
        this.json = json;
        this.properties = properties;
        this.breaker = breaker;
        Duration connectTimeout = properties.effectiveConnectTimeout();
        if (!connectTimeout.equals(properties.connectTimeout())) {
            log.warn(
                    "The coordinator connect timeout ({}) is not shorter than the read timeout ({}), which counts"
                            + " connecting too: connecting times out after {}",
                    readable(properties.connectTimeout()),
                    readable(properties.readTimeout()),
                    readable(connectTimeout));
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(client);
        requestFactory.setReadTimeout(properties.readTimeout());
        this.coordinators = properties.urls().stream()
                .map(url -> new Coordinator(
                        url,
                        builder.clone()
                                .baseUrl(url.toString())
                                .requestFactory(requestFactory)
                                .defaultHeaders(headers -> {
                                    headers.setAccept(
                                            List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
                                    if (credential.token() != null) {
                                        headers.setBearerAuth(credential.token());
                                    }
                                })
                                .build()))
                .toList();
        if (coordinators.size() > 1) {
            log.info("Coordinators, tried in this order when one cannot be connected to: {}", properties.urls());
        }
    }

    /** A job the coordinator accepted: its id and the coordinator's answer, to pass on unchanged. */
    public record SubmittedJob(String jobId, byte[] body, boolean repeated) {}

    /** The header that tells the coordinator which tenant a job is submitted for. */
    static final String OWNER_HEADER = "X-MapReduce-Owner";

    /**
     * Submits a validated job, with its defaults filled in, for {@code owner} (the caller's tenant;
     * null for none), which may read the inputs {@code grants} name: the coordinator answers an input
     * outside them as a missing one.
     */
    public SubmittedJob submitJob(JobRequest request, String owner, InputGrants grants) {
        byte[] body = call("submit a job", http -> {
            RestClient.RequestBodySpec post = http.post().uri("/internal/jobs").contentType(MediaType.APPLICATION_JSON);
            if (owner != null) {
                post.header(OWNER_HEADER, owner);
            }
            if (!grants.all()) {
                post.header(InputGrants.HEADER, grants.text());
            }
            return post.body(request);
        });
        JsonNode answer = parse(body);
        JsonNode jobId = answer == null ? null : answer.get("jobId");
        if (jobId == null || !jobId.isString()) {
            log.warn("The coordinator accepted a job but answered without a jobId: {}", abbreviate(body));
            throw new CoordinatorErrorException("the coordinator answered without a job id");
        }
        JsonNode repeated = answer.get("repeated");
        return new SubmittedJob(jobId.stringValue(), body, repeated != null && repeated.asBoolean());
    }

    /**
     * A page of the jobs list, newest first, as JSON to pass on unchanged. {@code statuses} (comma
     * separated), {@code name} (a substring) and {@code owner} (a tenant) filter when not null; the
     * coordinator answers a 400 problem for statuses it does not know or a page out of range.
     */
    public byte[] jobs(String statuses, String name, String owner, int limit, int offset) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", statuses);
        query.put("name", name);
        query.put("owner", owner);
        query.put("limit", limit);
        query.put("offset", offset);
        query.values().removeIf(Objects::isNull);
        return call("list jobs", http -> http.get().uri(uri -> {
            uri.path("/internal/jobs");
            // as URI variables, so that '&', '+' or '%' in a name reach the coordinator as they are
            query.keySet().forEach(key -> uri.queryParam(key, "{" + key + "}"));
            return uri.build(query);
        }));
    }

    /** A job's tasks and their attempts, as JSON to pass on unchanged; 404 for an unknown job. */
    public byte[] tasks(UUID jobId) {
        return call("get the tasks of job " + jobId, http -> http.get().uri("/internal/jobs/{jobId}/tasks", jobId));
    }

    /**
     * Deletes an ended job with everything it left; an unknown job (404) or one still running (409)
     * is the coordinator's problem, relayed.
     */
    public void deleteJob(UUID jobId) {
        call("delete job " + jobId, http -> http.delete().uri("/internal/jobs/{jobId}", jobId));
    }

    /** The workers the coordinator knows, as JSON to pass on unchanged. */
    public byte[] workers() {
        return call("list workers", http -> http.get().uri("/internal/workers"));
    }

    /** The coordinator's view of a job, as JSON to pass on unchanged. */
    public byte[] job(UUID jobId) {
        return call("get job " + jobId, http -> http.get().uri("/internal/jobs/{jobId}", jobId));
    }

    /**
     * Cancels a job; the coordinator answers the job (now CANCELLED) as JSON, passed on unchanged. A
     * job that is not known (404) or already finished (409) is the coordinator's problem, relayed.
     */
    public byte[] cancelJob(UUID jobId) {
        byte[] body = call("cancel job " + jobId, http -> http.post().uri("/internal/jobs/{jobId}/cancel", jobId));
        JsonNode answer = parse(body);
        if (answer == null || !answer.isObject()) {
            log.warn("The coordinator cancelled job {} but did not answer the job: {}", jobId, abbreviate(body));
            throw new CoordinatorErrorException("the coordinator answered a cancellation without the job");
        }
        return body;
    }

    private byte[] call(String what, Function<RestClient, RestClient.RequestHeadersSpec<?>> request) {
        return breaker.call(() -> send(what, request));
    }

    private byte[] send(String what, Function<RestClient, RestClient.RequestHeadersSpec<?>> request) {
        int first = current.get();
        int count = coordinators.size();
        List<String> failures = new ArrayList<>(count);
        ResourceAccessException lastFailure = null;
        for (int i = 0; i < count; i++) {
            int index = (first + i) % count;
            Coordinator coordinator = coordinators.get(index);
            Answer answer;
            try {
                answer = request.apply(coordinator.http())
                        .exchange((req, response) -> new Answer(
                                response.getStatusCode(),
                                response.getHeaders(),
                                response.getBody().readAllBytes()));
            } catch (ResourceAccessException e) {
                if (!cannotConnect(e)) {
                    // connected: the request may have been handled, so it is never sent to another one
                    connectedTo(first, index);
                    throw unavailable(what, coordinator, e);
                }
                lastFailure = e;
                failures.add(coordinator.url() + " (" + describe(e.getCause()) + ")");
                if (i + 1 < count) {
                    log.info(
                            "Cannot connect to the coordinator at {} ({}): {}; trying {}",
                            coordinator.url(),
                            what,
                            describe(e.getCause()),
                            coordinators.get((index + 1) % count).url());
                }
                continue;
            }
            connectedTo(first, index);
            if (answer.status().is2xxSuccessful()) {
                return answer.body();
            }
            throw failure(what, answer.status(), answer.headers(), answer.body());
        }
        log.warn("No coordinator can be connected to ({}): {}", what, String.join(", ", failures));
        throw new CoordinatorUnavailableException(
                count == 1
                        ? "the coordinator cannot be reached"
                        : "none of the " + count + " coordinators can be reached",
                lastFailure);
    }

    /**
     * Whether no connection could be made, so the request was certainly not sent: refused, connect
     * timeout, unknown or unreachable host. The JDK client reports these as a {@link ConnectException}
     * or an {@link HttpConnectTimeoutException}, never anything that happens once connected.
     */
    private static boolean cannotConnect(ResourceAccessException e) {
        Throwable cause = e.getCause();
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
    }

    /** Calls start from this coordinator from now on; a switch is logged once. */
    private void connectedTo(int previous, int index) {
        if (index != previous && current.compareAndSet(previous, index)) {
            log.info(
                    "Switched to the coordinator at {}: no connection could be made to {}",
                    coordinators.get(index).url(),
                    coordinators.get(previous).url());
        }
    }

    private CoordinatorUnavailableException unavailable(
            String what, Coordinator coordinator, ResourceAccessException e) {
        // a connect timeout is also an HttpTimeoutException, but it is handled before this
        boolean timedOut = e.getCause() instanceof HttpTimeoutException;
        log.warn("Coordinator at {} unavailable ({}): {}", coordinator.url(), what, describe(e.getCause()));
        return new CoordinatorUnavailableException(
                timedOut
                        ? "the coordinator did not answer within " + readable(properties.readTimeout())
                        : "the coordinator cannot be reached",
                e);
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
        return new CoordinatorErrorException("the coordinator failed to handle the request", status);
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

    /** An I/O failure and its causes, e.g. "ConnectException, caused by ClosedChannelException". */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < 500; t = t.getCause()) {
            text.append(text.isEmpty() ? "" : ", caused by ")
                    .append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static String abbreviate(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
        return body.length > 500 ? text + "…" : text;
    }
}
