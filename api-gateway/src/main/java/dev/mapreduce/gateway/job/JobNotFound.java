package dev.mapreduce.gateway.job;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The 404 for a job the caller cannot have: the same problem the coordinator answers for an
 * unknown job, so a job of another tenant cannot be told apart from one that does not exist.
 */
final class JobNotFound {

    private JobNotFound() {}

    /** No job with this id, or none the caller may see. */
    static ErrorResponseException of(String jobId) {
        return problem("no job " + jobId);
    }

    /** Not a job id at all. */
    static ErrorResponseException notAnId(String jobId) {
        return problem("no job " + jobId + ": job ids are UUIDs");
    }

    private static ErrorResponseException problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
        problem.setTitle("Job not found");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
