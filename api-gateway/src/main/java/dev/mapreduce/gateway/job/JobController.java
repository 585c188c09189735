package dev.mapreduce.gateway.job;

import dev.mapreduce.gateway.coordinator.CoordinatorClient;
import dev.mapreduce.gateway.coordinator.CoordinatorClient.SubmittedJob;
import dev.mapreduce.gateway.coordinator.CoordinatorErrorException;
import dev.mapreduce.gateway.security.Caller;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobRequest.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public job API: submit, list, read, follow the tasks of, cancel and delete jobs. The
 * coordinator owns jobs; this checks what callers send, keeps each tenant to its own jobs, and
 * passes the coordinator's answers on. Errors are problem details ({@code ApiExceptionHandler}).
 *
 * <p>A job the caller may not see ({@link Caller#maySee}) is a 404 exactly like an unknown one.
 */
@RestController
@RequestMapping("/api/jobs")
class JobController {

    /** Far above any valid job (64 parameters of at most 2,000 characters), far below a memory worry. */
    static final int MAX_BODY_BYTES = 1 << 20;

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;

    private final CoordinatorClient coordinator;
    private final JsonMapper json;

    JobController(CoordinatorClient coordinator, JsonMapper json) {
        this.coordinator = coordinator;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> submit(InputStream body, HttpServletRequest http) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ErrorResponseException(
                    HttpStatus.CONTENT_TOO_LARGE,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.CONTENT_TOO_LARGE, "a job must be at most " + MAX_BODY_BYTES + " bytes of JSON"),
                    null);
        }
        JobRequest request = JobRequestReader.read(bytes);
        Caller caller = Caller.of(http);
        SubmittedJob submitted = coordinator.submitJob(request, caller.tenant());
        UUID jobId = parseJobId(submitted.jobId())
                .orElseThrow(() -> new CoordinatorErrorException("the coordinator answered with an invalid job id"));
        if (!caller.maySee(owner(submitted.body()))) {
            // recorded for another owner than the one sent (a coordinator without tenants): not the caller's
            throw JobNotFound.of(submitted.jobId());
        }
        return ResponseEntity.created(URI.create("/api/jobs/" + jobId))
                .contentType(MediaType.APPLICATION_JSON)
                .body(submitted.body());
    }

    /**
     * The jobs list, newest first. A tenant sees its own jobs only; an admin sees every job, or
     * one tenant's with {@code owner}.
     */
    @GetMapping
    ResponseEntity<byte[]> list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String owner,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String offset,
            HttpServletRequest http) {
        List<FieldError> errors = new ArrayList<>();
        int pageSize = integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int skip = integer("offset", offset, 0, 0, Integer.MAX_VALUE, errors);
        if (!errors.isEmpty()) {
            throw InvalidQueryException.of(errors);
        }
        Caller caller = Caller.of(http);
        String tenant = caller.admin() ? blankToNull(owner) : caller.tenant();
        return ok(coordinator.jobs(blankToNull(status), blankToNull(name), tenant, pageSize, skip));
    }

    @GetMapping("/{jobId}")
    ResponseEntity<byte[]> job(@PathVariable String jobId, HttpServletRequest http) {
        UUID id = parseJobId(jobId).orElseThrow(() -> JobNotFound.notAnId(jobId));
        byte[] job = coordinator.job(id);
        if (!Caller.of(http).maySee(owner(job))) {
            throw JobNotFound.of(jobId);
        }
        return ok(job);
    }

    @GetMapping("/{jobId}/tasks")
    ResponseEntity<byte[]> tasks(@PathVariable String jobId, HttpServletRequest http) {
        return ok(coordinator.tasks(visibleJob(jobId, http)));
    }

    /**
     * Cancels a job (no body): the job, now CANCELLED, as the coordinator answers it; 404 for an
     * unknown job, 409 for one that already finished (the coordinator's problem says how).
     */
    @PostMapping("/{jobId}/cancel")
    ResponseEntity<byte[]> cancel(@PathVariable String jobId, HttpServletRequest http) {
        return ok(coordinator.cancelJob(visibleJob(jobId, http)));
    }

    /** Deletes an ended job with its tasks, attempts and results; 409 while it runs. */
    @DeleteMapping("/{jobId}")
    ResponseEntity<Void> delete(@PathVariable String jobId, HttpServletRequest http) {
        coordinator.deleteJob(visibleJob(jobId, http));
        return ResponseEntity.noContent().build();
    }

    /** The id of a job the caller may see; a 404 otherwise. An admin's call costs no extra lookup. */
    private UUID visibleJob(String jobId, HttpServletRequest http) {
        UUID id = parseJobId(jobId).orElseThrow(() -> JobNotFound.notAnId(jobId));
        Caller caller = Caller.of(http);
        if (!caller.admin() && !caller.maySee(owner(coordinator.job(id)))) {
            throw JobNotFound.of(jobId);
        }
        return id;
    }

    /** The owner in a job view from the coordinator; null for a job without one. */
    private String owner(byte[] jobView) {
        try {
            JsonNode owner = json.readTree(jobView).get("owner");
            return owner != null && owner.isString() ? owner.stringValue() : null;
        } catch (JacksonException e) {
            throw new CoordinatorErrorException("the coordinator answered a job that is not JSON");
        }
    }

    private static ResponseEntity<byte[]> ok(byte[] body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** A job id in the canonical UUID form (8-4-4-4-12 hex digits); {@link UUID#fromString} alone is lenient. */
    static Optional<UUID> parseJobId(String text) {
        if (text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equals(text.toLowerCase(Locale.ROOT)) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A whole number parameter in {@code [min, max]}, or {@code fallback} when absent; else an error. */
    static int integer(String field, String text, int fallback, int min, int max, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        errors.add(new FieldError(
                field,
                (max == Integer.MAX_VALUE
                                ? "must be an integer of at least " + min
                                : "must be an integer from " + min + " to " + max)
                        + ", not '" + text + "'"));
        return fallback;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
