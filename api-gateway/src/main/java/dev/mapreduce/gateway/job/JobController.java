package dev.mapreduce.gateway.job;

import dev.mapreduce.gateway.coordinator.CoordinatorClient;
import dev.mapreduce.gateway.coordinator.CoordinatorClient.SubmittedJob;
import dev.mapreduce.gateway.coordinator.CoordinatorErrorException;
import dev.mapreduce.gateway.openapi.CallsCoordinator;
import dev.mapreduce.gateway.security.Caller;
import dev.mapreduce.gateway.security.TenantInputs;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobRequest.FieldError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
 * coordinator owns jobs and checks them; this reads what callers send, keeps each tenant to its own
 * jobs, and passes the coordinator's answers on. Errors are problem details ({@code ApiExceptionHandler}).
 *
 * <p>A job the caller may not see ({@link Caller#maySee}) is a 404 exactly like an unknown one.
 */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "Jobs", description = "submit, list, follow, cancel and delete jobs")
class JobController {

    /** Far above any valid job (64 parameters of at most 2,000 characters), far below a memory worry. */
    static final int MAX_BODY_BYTES = 1 << 20;

    /** The 404 of every call about one job. */
    static final String JOB_NOT_FOUND =
            "no such job, or not the caller's: another tenant's job cannot be told from one that does not exist";

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;

    private final CoordinatorClient coordinator;
    private final JsonMapper json;
    private final TenantInputs inputs;

    JobController(CoordinatorClient coordinator, JsonMapper json, TenantInputs inputs) {
        this.coordinator = coordinator;
        this.json = json;
        this.inputs = inputs;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @CallsCoordinator
    @Operation(
            summary = "Submit a job",
            description = "Reads the job (every field that is not JSON of its type at once) and hands it to the"
                    + " coordinator, which fills in its defaults, checks it (every wrong field at once), fixes its"
                    + " input and starts it. The job belongs to the caller's tenant.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = JobSchemas.JobRequest.class),
                                            examples = {
                                                @ExampleObject(
                                                        name = "word count",
                                                        summary = "the words of the demo topic's messages",
                                                        value = JobSchemas.SUBMIT_EXAMPLE),
                                                @ExampleObject(
                                                        name = "error patterns",
                                                        summary =
                                                                "WARN and ERROR lines by pattern, with one pattern added",
                                                        value = JobSchemas.ERROR_PATTERN_EXAMPLE),
                                                @ExampleObject(
                                                        name = "a time range",
                                                        summary = "lines per service, for the records of one day",
                                                        value = JobSchemas.TIME_RANGE_EXAMPLE),
                                                @ExampleObject(
                                                        name = "file input",
                                                        summary = "lines per level in the files of demo/ under the"
                                                                + " input root (the Compose stack's demo data; a 422"
                                                                + " until it exists)",
                                                        value = JobSchemas.FILE_EXAMPLE),
                                                @ExampleObject(
                                                        name = "an access log",
                                                        summary = "requests per status in a topic of nginx access"
                                                                + " lines (a 422 until the topic exists)",
                                                        value = JobSchemas.FORMAT_EXAMPLE)
                                            })),
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        description = "submitted; the job view and a message",
                        headers = @Header(name = "Location", description = "/api/jobs/{jobId}"),
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = JobSchemas.SubmittedJob.class))),
                @ApiResponse(
                        responseCode = "200",
                        description = "the requestId was used before by the caller's tenant: the job it made,"
                                + " with repeated true; nothing new is submitted",
                        headers = @Header(name = "Location", description = "/api/jobs/{jobId}"),
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = JobSchemas.SubmittedJob.class))),
                @ApiResponse(
                        responseCode = "400",
                        description = "not a JSON object, or wrong fields: each in errors [{field, message}], a"
                                + " query's also with its line and column"),
                @ApiResponse(responseCode = "415", description = "a body that is not application/json"),
                @ApiResponse(
                        responseCode = "422",
                        description = "an input that cannot be read: a topic or a path that does not exist, or one"
                                + " outside the caller's input grants, answered alike (errors names inputTopic or"
                                + " inputPath; see GET /api/inputs)"),
                @ApiResponse(
                        responseCode = "429",
                        description = "over the rate limit, or the caller's tenant already has as many jobs queued"
                                + " or running as one tenant may (title 'Too many jobs', with activeJobs and"
                                + " maxActiveJobs; the coordinator's MAPREDUCE_MAX_ACTIVE_JOBS_PER_TENANT, default 0:"
                                + " no cap)",
                        headers = @Header(name = "Retry-After", description = "whole seconds to wait"))
            })
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
        SubmittedJob submitted = coordinator.submitJob(request, caller.tenant(), inputs.of(caller));
        UUID jobId = parseJobId(submitted.jobId())
                .orElseThrow(() -> new CoordinatorErrorException("the coordinator answered with an invalid job id"));
        if (!caller.maySee(owner(submitted.body()))) {
            // recorded for another owner than the one sent (a coordinator without tenants): not the caller's
            throw JobNotFound.of(submitted.jobId());
        }
        URI location = URI.create("/api/jobs/" + jobId);
        return (submitted.repeated() ? ResponseEntity.ok().location(location) : ResponseEntity.created(location))
                .contentType(MediaType.APPLICATION_JSON)
                .body(submitted.body());
    }

    /**
     * The jobs list, newest first. A tenant sees its own jobs only; an admin sees every job, or
     * one tenant's with {@code owner}.
     */
    @GetMapping
    @CallsCoordinator
    @Operation(
            summary = "List jobs",
            description = "Newest first. A tenant sees its own jobs only; an admin every job, or one tenant's.",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "a page of jobs",
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = JobSchemas.JobPage.class))),
                @ApiResponse(
                        responseCode = "400",
                        description = "an unknown status, or limit or offset out of range: each in errors")
            })
    ResponseEntity<byte[]> list(
            @Parameter(description = "job statuses, comma separated", example = "RUNNING,FAILED")
                    @RequestParam(required = false)
                    String status,
            @Parameter(description = "a case-insensitive substring of the job name") @RequestParam(required = false)
                    String name,
            @Parameter(description = "admins only: one tenant's jobs") @RequestParam(required = false) String owner,
            @Parameter(
                            description = "jobs per page",
                            schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "20"))
                    @RequestParam(required = false)
                    String limit,
            @Parameter(
                            description = "jobs to skip",
                            schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
                    @RequestParam(required = false)
                    String offset,
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
    @CallsCoordinator
    @Operation(
            summary = "A job",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "the job view",
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = JobSchemas.JobView.class))),
                @ApiResponse(responseCode = "404", description = JOB_NOT_FOUND)
            })
    ResponseEntity<byte[]> job(@PathVariable String jobId, HttpServletRequest http) {
        UUID id = parseJobId(jobId).orElseThrow(() -> JobNotFound.notAnId(jobId));
        byte[] job = coordinator.job(id);
        if (!Caller.of(http).maySee(owner(job))) {
            throw JobNotFound.of(jobId);
        }
        return ok(job);
    }

    @GetMapping("/{jobId}/tasks")
    @CallsCoordinator
    @Operation(
            summary = "A job's tasks and their attempts",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "the tasks, MAP 0…n then REDUCE 0…m",
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = JobSchemas.JobTasks.class))),
                @ApiResponse(responseCode = "404", description = JOB_NOT_FOUND)
            })
    ResponseEntity<byte[]> tasks(@PathVariable String jobId, HttpServletRequest http) {
        return ok(coordinator.tasks(visibleJob(jobId, http)));
    }

    /**
     * Cancels a job (no body): the job, now CANCELLED, as the coordinator answers it; 404 for an
     * unknown job, 409 for one that already finished (the coordinator's problem says how).
     */
    @PostMapping("/{jobId}/cancel")
    @CallsCoordinator
    @Operation(
            summary = "Cancel a job",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "the job view, now CANCELLED",
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = JobSchemas.JobView.class))),
                @ApiResponse(responseCode = "404", description = JOB_NOT_FOUND),
                @ApiResponse(responseCode = "409", description = "the job has already ended; jobStatus says how")
            })
    ResponseEntity<byte[]> cancel(@PathVariable String jobId, HttpServletRequest http) {
        return ok(coordinator.cancelJob(visibleJob(jobId, http)));
    }

    /** Deletes an ended job with its tasks, attempts and results; 409 while it runs. */
    @DeleteMapping("/{jobId}")
    @CallsCoordinator
    @Operation(
            summary = "Delete an ended job with its tasks, attempts and results",
            responses = {
                @ApiResponse(responseCode = "204", description = "deleted"),
                @ApiResponse(responseCode = "404", description = JOB_NOT_FOUND),
                @ApiResponse(
                        responseCode = "409",
                        description = "the job has not ended (cancel it first); jobStatus says how it is")
            })
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
