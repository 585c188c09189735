package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.job.InvalidJobException;
import dev.mapreduce.coordinator.job.InvalidQueryException;
import dev.mapreduce.coordinator.job.TooManyJobsException;
import dev.mapreduce.coordinator.job.UnknownTopicException;
import dev.mapreduce.coordinator.job.UnreadableInputException;
import dev.mapreduce.protocol.JobRequest.FieldError;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The coordinator's errors as RFC 9457 problem details. */
@RestControllerAdvice
class ProblemHandler {

    @ExceptionHandler(InvalidJobException.class)
    ProblemDetail invalid(InvalidJobException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        p.setTitle("Invalid job");
        // field and message; a query's also line and column
        p.setProperty("errors", e.errors());
        return p;
    }

    @ExceptionHandler(InvalidQueryException.class)
    ProblemDetail invalidQuery(InvalidQueryException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        p.setTitle("Invalid query");
        p.setProperty(
                "errors",
                e.errors().stream()
                        .map(f -> new FieldError(f.field(), f.message()))
                        .toList());
        return p;
    }

    @ExceptionHandler(UnknownTopicException.class)
    ProblemDetail unknownTopic(UnknownTopicException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
        p.setTitle("Unknown input topic");
        p.setProperty("errors", List.of(new FieldError("inputTopic", e.getMessage())));
        return p;
    }

    @ExceptionHandler(UnreadableInputException.class)
    ProblemDetail unreadableInput(UnreadableInputException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
        p.setTitle("Unreadable input path");
        p.setProperty("errors", List.of(new FieldError("inputPath", e.getMessage())));
        return p;
    }

    @ExceptionHandler(TooManyJobsException.class)
    ResponseEntity<ProblemDetail> tooManyJobs(TooManyJobsException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        p.setTitle("Too many jobs");
        p.setProperty("activeJobs", e.active());
        p.setProperty("maxActiveJobs", e.limit());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(TooManyJobsException.RETRY_AFTER_SECONDS))
                .body(p);
    }

    @ExceptionHandler(ServiceUnavailableException.class)
    ProblemDetail unavailable(ServiceUnavailableException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        p.setTitle("Service unavailable");
        return p;
    }
}
