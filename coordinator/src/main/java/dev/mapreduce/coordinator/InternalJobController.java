package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.JobRequest;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The coordinator's internal API, called by the gateway. */
@RestController
@RequestMapping("/internal/jobs")
class InternalJobController {

    private final JobService jobs;
    private final JobViews views;
    private final Scheduler scheduler;

    InternalJobController(JobService jobs, JobViews views, Scheduler scheduler) {
        this.jobs = jobs;
        this.views = views;
        this.scheduler = scheduler;
    }

    @PostMapping("/{jobId}/cancel")
    ResponseEntity<?> cancel(@PathVariable String jobId) {
        UUID id;
        try {
            id = UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            return notFound(jobId);
        }
        return switch (scheduler.cancel(id)) {
            case NOT_FOUND -> notFound(jobId);
            case ALREADY_FINISHED -> {
                String status = views.find(id).map(JobView::status).orElse("finished");
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                        HttpStatus.CONFLICT, "job " + jobId + " has already ended: " + status);
                problem.setTitle("Job already ended");
                problem.setProperty("jobStatus", status);
                yield ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
            }
            case CANCELLED -> ResponseEntity.of(views.find(id));
        };
    }

    @PostMapping
    ResponseEntity<JobService.Submitted> submit(@RequestBody JobRequest request) {
        JobService.Submitted submitted = jobs.submit(request);
        return ResponseEntity.created(URI.create("/api/jobs/" + submitted.jobId()))
                .body(submitted);
    }

    @GetMapping("/{jobId}")
    ResponseEntity<?> get(@PathVariable String jobId) {
        UUID id;
        try {
            id = UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            return notFound(jobId);
        }
        return views.find(id).<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> notFound(jobId));
    }

    private static ResponseEntity<ProblemDetail> notFound(String jobId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no job " + jobId);
        problem.setTitle("Job not found");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }
}
