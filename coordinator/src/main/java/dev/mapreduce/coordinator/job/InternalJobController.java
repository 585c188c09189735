package dev.mapreduce.coordinator.job;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.mapreduce.protocol.InputGrants;
import dev.mapreduce.protocol.JobRequest;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The coordinator's internal API, called by the gateway. */
@RestController
@RequestMapping("/internal/jobs")
public class InternalJobController {

    /** The tenant a job is submitted for, set by the gateway; absent when there are no tenants. */
    public static final String OWNER_HEADER = "X-MapReduce-Owner";

    /**
     * What a submit answers: the job's view, a message, and whether the request's requestId had
     * already made the job (then 200 instead of 201).
     */
    record SubmittedJob(@JsonUnwrapped JobView job, String message, boolean repeated) {}

    private final JobService jobs;
    private final JobViews views;
    private final TaskViews tasks;
    private final JobControl control;

    InternalJobController(JobService jobs, JobViews views, TaskViews tasks, JobControl control) {
        this.jobs = jobs;
        this.views = views;
        this.tasks = tasks;
        this.control = control;
    }

    @PostMapping("/{jobId}/cancel")
    ResponseEntity<?> cancel(@PathVariable String jobId) {
        Optional<UUID> id = parse(jobId);
        if (id.isEmpty()) {
            return notFound(jobId);
        }
        return switch (control.cancel(id.get())) {
            case NOT_FOUND -> notFound(jobId);
            case ALREADY_FINISHED -> {
                String status = views.find(id.get()).map(JobView::status).orElse("finished");
                yield conflict("Job already ended", "job " + jobId + " has already ended: " + status, status);
            }
            case CANCELLED -> ResponseEntity.of(views.find(id.get()));
        };
    }

    /**
     * Submits a job for the owner the gateway names, reading only the inputs its grants header
     * names (none: every input, as for an admin or a gateway without API keys).
     */
    @PostMapping
    ResponseEntity<?> submit(
            @RequestBody JobRequest request,
            @RequestHeader(name = OWNER_HEADER, required = false) String owner,
            @RequestHeader(name = InputGrants.HEADER, required = false) String grants) {
        JobService.Submitted submitted =
                jobs.submit(request, owner == null || owner.isEmpty() ? null : owner, grants(grants));
        URI location = URI.create("/api/jobs/" + submitted.jobId());
        ResponseEntity.BodyBuilder answer =
                submitted.repeated() ? ResponseEntity.ok().location(location) : ResponseEntity.created(location);
        return views.find(submitted.jobId())
                .<ResponseEntity<?>>map(
                        view -> answer.body(new SubmittedJob(view, submitted.message(), submitted.repeated())))
                .orElseGet(() -> answer.body(submitted));
    }

    /** The jobs list, newest first; {@code owner} keeps one tenant's jobs. */
    @GetMapping
    JobSummary.Page list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String owner,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String offset) {
        return views.list(JobQuery.parse(status, name, owner, limit, offset));
    }

    @GetMapping("/{jobId}")
    ResponseEntity<?> get(@PathVariable String jobId) {
        return parse(jobId)
                .flatMap(views::find)
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> notFound(jobId));
    }

    @GetMapping("/{jobId}/tasks")
    ResponseEntity<?> tasks(@PathVariable String jobId) {
        return parse(jobId)
                .flatMap(tasks::find)
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> notFound(jobId));
    }

    /** Deletes an ended job and all it left behind; a job still running must be cancelled first (409). */
    @DeleteMapping("/{jobId}")
    ResponseEntity<?> delete(@PathVariable String jobId) {
        Optional<UUID> id = parse(jobId);
        if (id.isEmpty()) {
            return notFound(jobId);
        }
        JobControl.DeleteOutcome outcome = control.delete(id.get());
        if (!outcome.found()) {
            return notFound(jobId);
        }
        if (!outcome.deleted()) {
            String status = outcome.status().name();
            return conflict(
                    "Job still running", "job " + jobId + " is " + status + "; cancel it before deleting it", status);
        }
        return ResponseEntity.noContent().build();
    }

    private static InputGrants grants(String header) {
        if (header == null) {
            return InputGrants.ALL;
        }
        try {
            return InputGrants.parse(header);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, InputGrants.HEADER + ": " + e.getMessage());
        }
    }

    private static Optional<UUID> parse(String jobId) {
        try {
            return Optional.of(UUID.fromString(jobId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ResponseEntity<ProblemDetail> conflict(String title, String detail, String jobStatus) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setTitle(title);
        problem.setProperty("jobStatus", jobStatus);
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    private static ResponseEntity<ProblemDetail> notFound(String jobId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no job " + jobId);
        problem.setTitle("Job not found");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }
}
