package dev.mapreduce.gateway.job;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.ResultColumn;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.gateway.security.Caller;
import dev.mapreduce.gateway.security.GatewaySecurityProperties;
import dev.mapreduce.gateway.security.TenantSlots;
import dev.mapreduce.protocol.JobRequest.FieldError;
import dev.mapreduce.protocol.Messages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/jobs/{jobId}/results}: a completed job's rows, streamed from PostgreSQL to the
 * caller as they are read, as JSON or CSV. Everything that can be wrong (parameters, the job, its
 * status) is checked before the first byte, so an error is still a proper problem.
 */
@RestController
@Tag(name = "Results", description = "a completed job's rows")
class ResultsController {

    private static final Logger log = LoggerFactory.getLogger(ResultsController.class);

    /** The key of the interceptor that gives a result stream's slot back. */
    private static final Object SLOT = ResultsController.class.getName() + ".slot";

    private final ResultStore results;
    private final JsonMapper json;
    private final TenantSlots streams;

    ResultsController(ResultStore results, JsonMapper json, GatewaySecurityProperties limits) {
        this.results = results;
        this.json = json;
        this.streams = new TenantSlots("result streams", limits.resultStreamsPerTenant());
    }

    @GetMapping("/api/jobs/{jobId}/results")
    @Operation(
            summary = "A completed job's rows",
            description = "Streamed from PostgreSQL as they are read. JSON by default; CSV (a key,value header, then"
                    + " RFC 4180 lines) for Accept: text/csv; the highest quality wins, the first listed on a tie."
                    + " A query job's rows have its named columns instead ({\"columns\": [{\"name\", \"type\"}],"
                    + " \"results\": [{\"<name>\": value}]}; CSV with the names as header), in its ORDER BY;"
                    + " order does not apply to them (400).",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "the rows",
                        content = {
                            @Content(
                                    mediaType = "application/json",
                                    schema = @Schema(implementation = JobSchemas.Results.class)),
                            @Content(
                                    mediaType = "text/csv",
                                    schema = @Schema(type = "string", example = "key,value\r\nerror,123\r\n"))
                        }),
                @ApiResponse(
                        responseCode = "400",
                        description = "limit, offset or order out of range (each in errors), or an Accept header"
                                + " that is not a list of media types"),
                @ApiResponse(responseCode = "404", description = JobController.JOB_NOT_FOUND),
                @ApiResponse(responseCode = "406", description = "an Accept header that allows neither JSON nor CSV"),
                @ApiResponse(
                        responseCode = "409",
                        description = "the job is not COMPLETED (yet, or ever); jobStatus says how it is"),
                @ApiResponse(
                        responseCode = "429",
                        description = "the caller's tenant already streams as many results at once as one tenant"
                                + " may (mapreduce.gateway.result-streams-per-tenant, default 4; not with API keys"
                                + " off)",
                        headers = @Header(name = "Retry-After", description = "whole seconds to wait"))
            })
    ResponseEntity<StreamingResponseBody> results(
            @PathVariable String jobId,
            @Parameter(
                            description = "rows to answer at most; every row when absent",
                            schema = @Schema(type = "integer", minimum = "1"))
                    @RequestParam(required = false)
                    String limit,
            @Parameter(
                            description = "rows to skip",
                            schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
                    @RequestParam(required = false)
                    String offset,
            @Parameter(
                            description = "value_desc: value descending, then key; key: key ascending (byte order)",
                            schema =
                                    @Schema(
                                            allowableValues = {"value_desc", "key"},
                                            defaultValue = "value_desc"))
                    @RequestParam(required = false)
                    String order,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletRequest http) {
        UUID id = JobController.parseJobId(jobId).orElseThrow(() -> JobNotFound.notAnId(jobId));
        List<FieldError> errors = new ArrayList<>();
        Long rows = limit == null || limit.isBlank()
                ? null
                : (long) JobController.integer("limit", limit, 1, 1, Integer.MAX_VALUE, errors);
        long skip = JobController.integer("offset", offset, 0, 0, Integer.MAX_VALUE, errors);
        ResultStore.Order sort = order(order, errors);
        if (!errors.isEmpty()) {
            throw InvalidQueryException.of(errors);
        }
        ResultFormat format = format(accept);
        Caller caller = Caller.of(http);
        ResultStore.Job job =
                results.job(id).filter(j -> caller.maySee(j.owner())).orElseThrow(() -> JobNotFound.of(jobId));
        if (!"COMPLETED".equals(job.status())) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.CONFLICT,
                    "job " + jobId + " is " + job.status() + "; results exist once it is COMPLETED");
            problem.setTitle("Job not completed");
            problem.setProperty("jobStatus", job.status());
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        }
        List<ResultColumn> columns = null;
        if (job.query() != null) {
            if (order != null) {
                throw InvalidQueryException.of(List.of(
                        new FieldError("order", "does not apply to a query job: its rows come in its ORDER BY")));
            }
            columns = SqlQuery.parse(
                            job.query(),
                            QuerySchema.of(Formats.compile(
                                    job.format() == null
                                            ? FormatSpec.DEFAULT
                                            : Messages.decode(
                                                    job.format().getBytes(StandardCharsets.UTF_8), FormatSpec.class))))
                    .columns();
        }
        // held from here until the last row is written or the client is gone: each stream holds a
        // connection of the gateway's small pool for as long as its client reads
        TenantSlots.Slot slot = streams.acquire(caller);
        // the body may never run (its task cancelled when the request times out or fails first): the
        // slot is also given back when the async request completes, however it does
        WebAsyncUtils.getAsyncManager(http).registerCallableInterceptor(SLOT, new CallableProcessingInterceptor() {
            @Override
            public <T> void afterCompletion(NativeWebRequest request, Callable<T> task) {
                slot.close();
            }
        });
        if (columns != null) {
            List<ResultColumn> named = columns;
            StreamingResponseBody body = out -> {
                try (slot) {
                    ResultFormat.QueryRows writer = format.openQuery(out, json, id, named, skip);
                    results.forEachQueryRow(id, rows, skip, writer::row);
                    writer.finish();
                }
            };
            return ResponseEntity.ok().contentType(format.mediaType()).body(body);
        }
        StreamingResponseBody body = out -> {
            try (slot) {
                ResultFormat.Rows writer = format.open(out, json, id, sort, skip);
                results.forEach(id, sort, rows, skip, writer::row);
                writer.finish();
            } catch (IOException e) {
                log.debug("results of job {}: the client went away: {}", id, e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                log.warn("results of job {} ended early: {}", id, e.getMessage());
                throw e;
            }
        };
        return ResponseEntity.ok().contentType(format.mediaType()).body(body);
    }

    private static ResultStore.Order order(String text, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return ResultStore.Order.VALUE_DESC;
        }
        for (ResultStore.Order o : ResultStore.Order.values()) {
            if (o.parameter().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        errors.add(new FieldError("order", "must be value_desc or key, not '" + text + "'"));
        return ResultStore.Order.VALUE_DESC;
    }

    private static ResultFormat format(String accept) {
        try {
            return ResultFormat.negotiate(accept)
                    .orElseThrow(() -> problem(
                            HttpStatus.NOT_ACCEPTABLE,
                            "Not acceptable",
                            "results are application/json or text/csv, not " + accept));
        } catch (IllegalArgumentException e) {
            throw problem(HttpStatus.BAD_REQUEST, "Invalid Accept header", e.getMessage());
        }
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
