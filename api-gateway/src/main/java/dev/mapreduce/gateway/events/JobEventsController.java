package dev.mapreduce.gateway.events;

import dev.mapreduce.gateway.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events: {@code GET /api/jobs/{jobId}/events} sends {@code job} (the job view) and
 * {@code tasks} (the tasks document) at once and on every change, and ends after the job ends;
 * {@code GET /api/jobs/events} sends {@code job} (a jobs list entry) whenever a job the caller may
 * see changes. Both send a {@code : keep-alive} comment when idle.
 */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "Events", description = "Server-Sent Events as jobs change")
class JobEventsController {

    private static final String TOO_MANY =
            "the gateway already serves as many event streams as it may (mapreduce.events.max-subscribers,"
                    + " default 1000)";

    private static final String TOO_MANY_FOR_TENANT =
            "the caller's tenant already has as many event streams open as one tenant may"
                    + " (mapreduce.events.max-subscribers-per-tenant, default 100; not with API keys off)";

    private final JobEventStreams streams;

    JobEventsController(JobEventStreams streams) {
        this.streams = streams;
    }

    @GetMapping("/{jobId}/events")
    @Operation(
            summary = "Follow a job",
            description = "event: job (the job view) and event: tasks (the tasks document) at once and on every"
                    + " change; the stream ends after the job ends. A ': keep-alive' comment comes when idle.",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "the event stream",
                        content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string"))),
                @ApiResponse(
                        responseCode = "404",
                        description = "not a job id (the stream of a well-formed id that names no job the caller"
                                + " may see ends at once)"),
                @ApiResponse(
                        responseCode = "429",
                        description = TOO_MANY_FOR_TENANT,
                        headers = @Header(name = "Retry-After", description = "whole seconds to wait")),
                @ApiResponse(
                        responseCode = "503",
                        description = TOO_MANY,
                        headers = @Header(name = "Retry-After", description = "whole seconds to wait"))
            })
    SseEmitter job(@PathVariable String jobId, HttpServletRequest request) {
        UUID id = canonical(jobId);
        if (id == null) {
            throw noSuchJob(jobId + ": job ids are UUIDs");
        }
        return streams.followJob(id, Caller.of(request));
    }

    @GetMapping("/events")
    @Operation(
            summary = "Follow the jobs list",
            description = "event: job (a jobs list entry) whenever a job the caller may see changes.",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "the event stream",
                        content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string"))),
                @ApiResponse(
                        responseCode = "429",
                        description = TOO_MANY_FOR_TENANT,
                        headers = @Header(name = "Retry-After", description = "whole seconds to wait")),
                @ApiResponse(
                        responseCode = "503",
                        description = TOO_MANY,
                        headers = @Header(name = "Retry-After", description = "whole seconds to wait"))
            })
    SseEmitter jobs(HttpServletRequest request) {
        return streams.followList(Caller.of(request));
    }

    /** A job id in the canonical UUID form; anything else names no job. */
    private static UUID canonical(String text) {
        if (text.length() != 36) {
            return null;
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equals(text.toLowerCase(Locale.ROOT)) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static ErrorResponseException noSuchJob(String jobId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no job " + jobId);
        problem.setTitle("Job not found");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
