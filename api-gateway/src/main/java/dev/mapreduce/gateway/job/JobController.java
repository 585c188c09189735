package dev.mapreduce.gateway.job;

import dev.mapreduce.gateway.coordinator.CoordinatorClient;
import dev.mapreduce.gateway.coordinator.CoordinatorClient.SubmittedJob;
import dev.mapreduce.gateway.coordinator.CoordinatorErrorException;
import dev.mapreduce.protocol.JobRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public job API: submit a job, read a job, cancel a job. The coordinator owns jobs; this checks
 * what callers send and passes the coordinator's answers on. Errors are problem details
 * ({@code ApiExceptionHandler}).
 */
@RestController
@RequestMapping("/api/jobs")
class JobController {

    /** Far above any valid job (64 parameters of at most 2,000 characters), far below a memory worry. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final CoordinatorClient coordinator;

    JobController(CoordinatorClient coordinator) {
        this.coordinator = coordinator;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> submit(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ErrorResponseException(
                    HttpStatus.CONTENT_TOO_LARGE,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.CONTENT_TOO_LARGE, "a job must be at most " + MAX_BODY_BYTES + " bytes of JSON"),
                    null);
        }
        JobRequest request = JobRequestReader.read(bytes);
        SubmittedJob submitted = coordinator.submitJob(request);
        UUID jobId = parseJobId(submitted.jobId())
                .orElseThrow(() -> new CoordinatorErrorException("the coordinator answered with an invalid job id"));
        return ResponseEntity.created(URI.create("/api/jobs/" + jobId))
                .contentType(MediaType.APPLICATION_JSON)
                .body(submitted.body());
    }

    @GetMapping("/{jobId}")
    ResponseEntity<byte[]> job(@PathVariable String jobId) {
        UUID id = parseJobId(jobId).orElseThrow(() -> noSuchJob(jobId));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(coordinator.job(id));
    }

    /**
     * Cancels a job (no body): the job, now CANCELLED, as the coordinator answers it; 404 for an
     * unknown job, 409 for one that already finished (the coordinator's problem says how).
     */
    @PostMapping("/{jobId}/cancel")
    ResponseEntity<byte[]> cancel(@PathVariable String jobId) {
        UUID id = parseJobId(jobId).orElseThrow(() -> noSuchJob(jobId));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(coordinator.cancelJob(id));
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

    private static ErrorResponseException noSuchJob(String jobId) {
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no job " + jobId + ": job ids are UUIDs");
        problem.setTitle("Job not found");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
