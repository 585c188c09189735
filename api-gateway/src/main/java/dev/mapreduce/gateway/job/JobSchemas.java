package dev.mapreduce.gateway.job;

import dev.mapreduce.engine.format.FormatSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import java.util.Map;

/**
 * The shapes of the job API's bodies, for the OpenAPI description only. The gateway reads jobs with
 * {@link JobRequestReader} and passes the coordinator's answers on as they come, so nothing binds to
 * these records; {@code JobSchemasTest} keeps {@link JobRequest} to the fields the reader takes.
 */
final class JobSchemas {

    private JobSchemas() {}

    static final String SUBMIT_EXAMPLE =
            """
            {"jobName":"word-count-analysis","inputTopic":"application-logs","numMappers":4,"numReducers":2,\
            "mapFunction":"WORD_COUNT","reduceFunction":"SUM"}""";

    static final String ERROR_PATTERN_EXAMPLE =
            """
            {"jobName":"errors-by-pattern","inputTopic":"application-logs","mapFunction":"ERROR_PATTERN",\
            "reduceFunction":"SUM","parameters":{"pattern.DEADLOCK":"(?i)deadlock"}}""";

    static final String FILE_EXAMPLE =
            """
            {"jobName":"levels-in-files","inputPath":"demo","numMappers":8,"numReducers":1,\
            "mapFunction":"LEVEL_COUNT","reduceFunction":"SUM"}""";

    static final String FORMAT_EXAMPLE =
            """
            {"jobName":"requests-per-status","inputTopic":"web","format":"apache_combined","mapFunction":"COUNT_BY",\
            "parameters":{"field":"status"},"maxMalformedRatio":0.1}""";

    static final String QUERY_EXAMPLE =
            """
            {"jobName":"errors-per-minute","inputTopic":"application-logs","query":"SELECT date_trunc('minute',\
             timestamp) AS minute, service, count(*) AS errors FROM logs WHERE level = 'ERROR' GROUP BY 1, 2\
             ORDER BY errors DESC LIMIT 10"}""";

    static final String TIME_RANGE_EXAMPLE =
            """
            {"jobName":"services-on-the-20th","inputTopic":"application-logs","from":"2026-11-20T00:00:00Z",\
            "to":"2026-11-21T00:00:00Z","mapFunction":"SERVICE_DISTRIBUTION"}""";

    @Schema(
            name = "JobRequest",
            description = "A job to run. Every field but jobName is optional; a field set to null takes its default."
                    + " Unknown fields, duplicate fields and values of the wrong JSON type are rejected (400),"
                    + " every wrong field named at once in errors.",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    record JobRequest(
            @Schema(
                            requiredMode = RequiredMode.REQUIRED,
                            minLength = 1,
                            maxLength = 200,
                            description = "a name for people; no control characters",
                            example = "word-count-analysis")
                    String jobName,
            @Schema(
                            description = "the Kafka topic to read, whole or between from and to; the default when"
                                    + " inputPath is absent. A topic that does not exist is a 422",
                            pattern = "^[a-zA-Z0-9._-]{1,249}$",
                            defaultValue = "application-logs",
                            example = "application-logs")
                    String inputTopic,
            @Schema(
                            description = "instead of inputTopic: a file or folder relative to the input root"
                                    + " (MAPREDUCE_INPUT_ROOT), or s3://bucket/key (an object, a prefix or a glob);"
                                    + " absolute paths and .. are a 400, a path that does not exist a 422",
                            example = "logs/2026-11-20")
                    String inputPath,
            @Schema(
                            format = "date-time",
                            description = "topic input only: the first record timestamp read (inclusive), an"
                                    + " ISO-8601 instant with a zone offset",
                            example = "2026-11-20T00:00:00Z")
                    String from,
            @Schema(
                            format = "date-time",
                            description = "topic input only: the end of the records read (exclusive); after from",
                            example = "2026-11-21T00:00:00Z")
                    String to,
            @Schema(minimum = "1", maximum = "1024", defaultValue = "4", description = "map tasks, at least")
                    Integer numMappers,
            @Schema(minimum = "1", maximum = "1024", defaultValue = "2", description = "reduce tasks and partitions")
                    Integer numReducers,
            @Schema(
                            defaultValue = "WORD_COUNT",
                            description = "a map function of GET /api/functions, in any case",
                            example = "WORD_COUNT")
                    String mapFunction,
            @Schema(
                            defaultValue = "SUM",
                            description = "a reduce function of GET /api/functions (SUM, COUNT, MIN, MAX, AVG), in"
                                    + " any case",
                            example = "SUM")
                    String reduceFunction,
            @Schema(
                            description = "the map function's parameters, as strings (at most 64), such as"
                                    + " ERROR_PATTERN's pattern.NAME",
                            maxProperties = 64,
                            additionalPropertiesSchema = String.class)
                    Map<String, String> parameters,
            @Schema(
                            maxLength = 100000,
                            description = "instead of mapFunction, reduceFunction and parameters (which must then be"
                                    + " absent): a SQL query over the table logs, whose columns are the format's"
                                    + " fields (docs/sql.md). A query that cannot run is a 400 whose errors entry"
                                    + " for query has its line and column",
                            example = "SELECT service, count(*) AS n FROM logs GROUP BY service ORDER BY n DESC")
                    String query,
            @Schema(defaultValue = "true", description = "pre-aggregate map output where that is correct")
                    Boolean combiner,
            @Schema(
                            description = "the input's format: a format or preset name (GET /api/formats), or a"
                                    + " format object as POST /api/formats/preview takes it; default: default."
                                    + " Every problem of it is a 400 naming format.<member>; a field the map"
                                    + " function reads that it lacks is a 400 too",
                            oneOf = {String.class, FormatSpec.class})
                    Object format,
            @Schema(
                            description = "other names for fields of the format, added to its fields:"
                                    + " {\"message\": \"request\"} makes WORD_COUNT read an access log's request"
                                    + " line",
                            additionalPropertiesSchema = String.class)
                    Map<String, String> fieldMap,
            @Schema(
                            minimum = "0",
                            maximum = "1",
                            defaultValue = "0.5",
                            description = "the job fails, before its reduce phase, when more than this share of its"
                                    + " records is malformed (1 never fails)")
                    Double maxMalformedRatio,
            @Schema(
                            minLength = 1,
                            maxLength = 100,
                            description = "an idempotency key of the client's choice, without control characters:"
                                    + " a submit that repeats one the caller's tenant already used answers 200"
                                    + " with the job it first made (repeated true) instead of making a second",
                            example = "nightly-2026-11-20")
                    String requestId) {}

    @Schema(description = "A record the job's format could not read")
    record MalformedSample(
            @Schema(
                            description = "where it was: a file relative to the input root and the byte where its"
                                    + " line starts, or a topic, partition and offset",
                            example = "web/access.log at byte 81533")
                    String where,
            @Schema(description = "why it is malformed", example = "no [time] after the user") String reason,
            @Schema(description = "its first 300 characters") String line) {}

    @Schema(description = "The job's counters: sums over the committed attempt of every task")
    record JobCounters(
            long recordsRead,
            long malformedRecords,
            long mapOutputRecords,
            long combineOutputRecords,
            long shuffleBytes,
            long reduceInputRecords,
            long outputRecords) {}

    @Schema(description = "A job with its progress, counters and where its results are")
    record JobView(
            @Schema(format = "uuid") String jobId,
            String jobName,
            @Schema(ref = "JobStatus") String status,
            @Schema(
                            types = {"string", "null"},
                            description = "the tenant that submitted it; null before tenants")
                    String owner,
            @Schema(
                            types = {"string", "null"},
                            description = "null for file input")
                    String inputTopic,
            @Schema(
                            types = {"string", "null"},
                            description = "null for topic input")
                    String inputPath,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String from,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String to,
            int numMappers,
            int numReducers,
            @Schema(
                            types = {"string", "null"},
                            description = "null for a query job")
                    String mapFunction,
            @Schema(
                            types = {"string", "null"},
                            description = "null for a query job")
                    String reduceFunction,
            @Schema(
                            types = {"string", "null"},
                            description = "the job's SQL query; null for a job of functions")
                    String query,
            @Schema(additionalPropertiesSchema = String.class) Map<String, String> parameters,
            boolean combiner,
            @Schema(
                            description =
                                    "the input's format, with fieldMap merged into its fields; {\"type\":\"default\"}"
                                            + " for a job submitted without one")
                    FormatSpec format,
            @Schema(description = "the share of malformed records past which the job fails") double maxMalformedRatio,
            @Schema(format = "date-time") String createdAt,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String startedAt,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String mapCompletedAt,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String completedAt,
            @Schema(
                            types = {"integer", "null"},
                            format = "int64")
                    Long durationMs,
            long inputRecords,
            int totalMapTasks,
            int completedMapTasks,
            int totalReduceTasks,
            int completedReduceTasks,
            @Schema(description = "0 to 100") double mapProgress,
            @Schema(description = "0 to 100") double reduceProgress,
            @Schema(description = "0 to 100") double progress,
            JobCounters counters,
            @Schema(
                            types = {"string", "null"},
                            description = "why it failed")
                    String error,
            @Schema(
                            description = "the first malformed records (at most 20) of its committed map tasks, in task"
                                    + " order; empty in lists")
                    List<MalformedSample> malformedSamples,
            @Schema(description = "the SQL that reads its rows from the results table") String resultsQuery,
            @Schema(description = "/api/jobs/{jobId}/results") String resultsUrl) {}

    @Schema(
            description = "A job the coordinator accepted: the job view and a message; status is RUNNING, or PENDING"
                    + " while it waits for a dispatch slot",
            allOf = JobView.class)
    record SubmittedJob(
            @Schema(example = "Job submitted successfully") String message,
            @Schema(
                            description = "true when the request's requestId had already made this job: the answer"
                                    + " is then 200 instead of 201")
                    boolean repeated) {}

    @Schema(description = "A job as the jobs list shows it")
    record JobSummary(
            @Schema(format = "uuid") String jobId,
            String jobName,
            @Schema(ref = "JobStatus") String status,
            @Schema(types = {"string", "null"}) String owner,
            @Schema(types = {"string", "null"}) String inputTopic,
            @Schema(types = {"string", "null"}) String inputPath,
            @Schema(types = {"string", "null"}) String mapFunction,
            @Schema(types = {"string", "null"}) String reduceFunction,
            @Schema(format = "date-time") String createdAt,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String completedAt,
            @Schema(
                            types = {"integer", "null"},
                            format = "int64")
                    Long durationMs,
            @Schema(description = "0 to 100") double progress) {}

    @Schema(description = "One page of the jobs list, newest first, and how many jobs match in all")
    record JobPage(List<JobSummary> jobs, long total, int limit, int offset) {}

    @Schema(description = "A task's attempt")
    record TaskAttempt(
            int attempt,
            @Schema(allowableValues = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "SUPERSEDED", "KILLED"})
                    String status,
            @Schema(types = {"string", "null"}) String workerId,
            boolean speculative,
            @Schema(format = "date-time") String queuedAt,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String startedAt,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String finishedAt,
            @Schema(
                            types = {"integer", "null"},
                            format = "int64")
                    Long durationMs,
            long recordsRead,
            long malformedRecords,
            long outputRecords,
            long shuffleBytes,
            @Schema(types = {"string", "null"}) String error) {}

    @Schema(description = "A map or reduce task with its attempts, in attempt order")
    record Task(
            @Schema(allowableValues = {"MAP", "REDUCE"}) String type,
            int index,
            @Schema(allowableValues = {"PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"}) String status,
            @Schema(
                            description = "a map task's offset ranges (topic[partition:start-end, …]) or file"
                                    + " splits; a reduce task's partition N",
                            example = "application-logs[0:0-25000]")
                    String input,
            int currentAttempt,
            @Schema(types = {"integer", "null"}) Integer committedAttempt,
            int failures,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String startedAt,
            @Schema(
                            types = {"string", "null"},
                            format = "date-time")
                    String completedAt,
            @Schema(
                            types = {"integer", "null"},
                            format = "int64")
                    Long durationMs,
            long recordsRead,
            long outputRecords,
            @Schema(types = {"string", "null"}) String error,
            List<TaskAttempt> attempts) {}

    @Schema(description = "A job's tasks: MAP 0…n, then REDUCE 0…m")
    record JobTasks(@Schema(format = "uuid") String jobId, List<Task> tasks) {}

    @Schema(description = "One result row; value is an exact number")
    record ResultRow(@Schema(example = "error") String key, @Schema(example = "123") Number value) {}

    @Schema(description = "A completed job's rows in the order asked for")
    record Results(
            @Schema(format = "uuid") String jobId,
            @Schema(allowableValues = {"value_desc", "key"}) String order,
            long offset,
            List<ResultRow> results) {}
}
