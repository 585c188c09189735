package dev.mapreduce.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mapreduce.engine.format.FormatException;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.JobFunctionException;
import dev.mapreduce.engine.function.MapFunction;
import dev.mapreduce.engine.input.InputRoot;
import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.engine.sql.QueryException;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.MalformedRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A job as submitted to {@code POST /api/jobs}. Every field but {@code jobName} is optional;
 * {@link #withDefaults()} fills in the documented defaults and {@link #validate()} names every
 * wrong field at once.
 *
 * <p>The input is a Kafka topic ({@code inputTopic}, optionally only the records whose timestamps
 * fall in {@code [from, to)}) or files under the input root ({@code inputPath}), never both.
 * Absent optional fields are left out of the JSON form, so a job without file input or a time
 * range reads exactly as before they existed.
 *
 * <p>{@code format} is the input's format ({@link FormatSpec}: a name or a description; absent:
 * {@code default}); {@code fieldMap} adds renames to its {@code fields} ({@link #withDefaults()}
 * merges them in, as {@code mr local --field-map} does); {@code maxMalformedRatio} is the share of
 * malformed records past which the job fails (absent: {@link MalformedRecords#DEFAULT_MAX_RATIO}).
 * {@link #withDefaults()} leaves both absent when not given, as the rest of the input description.
 *
 * <p>{@code query} is a SQL query over the table {@code logs} (the format's fields) that the job
 * runs instead of map and reduce functions: {@code mapFunction}, {@code reduceFunction} and
 * {@code parameters} must then be absent, and {@link #withDefaults()} leaves them so.
 *
 * <p>{@code requestId} is the client's idempotency key (1 to {@value #MAX_REQUEST_ID_LENGTH}
 * printable characters, no control characters): a submit that repeats one of its tenant's keys
 * gets the job the key first made instead of a new one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
        String jobName,
        String inputTopic,
        String inputPath,
        Instant from,
        Instant to,
        Integer numMappers,
        Integer numReducers,
        String mapFunction,
        String reduceFunction,
        Map<String, String> parameters,
        Boolean combiner,
        FormatSpec format,
        Map<String, String> fieldMap,
        Double maxMalformedRatio,
        String requestId,
        String query) {

    public static final int MAX_REQUEST_ID_LENGTH = 100;

    public static final String DEFAULT_TOPIC = "application-logs";
    public static final int DEFAULT_MAPPERS = 4;
    public static final int DEFAULT_REDUCERS = 2;
    public static final String DEFAULT_MAP_FUNCTION = "WORD_COUNT";
    public static final String DEFAULT_REDUCE_FUNCTION = "SUM";
    public static final int MAX_MAPPERS = 1024;
    public static final int MAX_REDUCERS = 1024;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_PARAMETERS = 64;

    /**
     * Bounds of {@code from} and {@code to}: Kafka timestamps are non-negative milliseconds since
     * the epoch (negative ones mean "earliest" and "latest" to its offset lookup), and no log is
     * dated after year 9999.
     */
    public static final Instant MIN_TIME = Instant.EPOCH;

    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** A job of functions (no query). */
    public JobRequest(
            String jobName,
            String inputTopic,
            String inputPath,
            Instant from,
            Instant to,
            Integer numMappers,
            Integer numReducers,
            String mapFunction,
            String reduceFunction,
            Map<String, String> parameters,
            Boolean combiner,
            FormatSpec format,
            Map<String, String> fieldMap,
            Double maxMalformedRatio,
            String requestId) {
        this(
                jobName,
                inputTopic,
                inputPath,
                from,
                to,
                numMappers,
                numReducers,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                format,
                fieldMap,
                maxMalformedRatio,
                requestId,
                null);
    }

    /** A job without an idempotency key. */
    public JobRequest(
            String jobName,
            String inputTopic,
            String inputPath,
            Instant from,
            Instant to,
            Integer numMappers,
            Integer numReducers,
            String mapFunction,
            String reduceFunction,
            Map<String, String> parameters,
            Boolean combiner,
            FormatSpec format,
            Map<String, String> fieldMap,
            Double maxMalformedRatio) {
        this(
                jobName,
                inputTopic,
                inputPath,
                from,
                to,
                numMappers,
                numReducers,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                format,
                fieldMap,
                maxMalformedRatio,
                null);
    }

    /** A job read from Kafka's whole topic, in the form from before file input and time ranges. */
    public JobRequest(
            String jobName,
            String inputTopic,
            Integer numMappers,
            Integer numReducers,
            String mapFunction,
            String reduceFunction,
            Map<String, String> parameters,
            Boolean combiner) {
        this(
                jobName,
                inputTopic,
                null,
                null,
                null,
                numMappers,
                numReducers,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                null,
                null,
                null);
    }

    /** A job in the default format, in the form from before formats. */
    public JobRequest(
            String jobName,
            String inputTopic,
            String inputPath,
            Instant from,
            Instant to,
            Integer numMappers,
            Integer numReducers,
            String mapFunction,
            String reduceFunction,
            Map<String, String> parameters,
            Boolean combiner) {
        this(
                jobName,
                inputTopic,
                inputPath,
                from,
                to,
                numMappers,
                numReducers,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                null,
                null,
                null);
    }

    /**
     * One field that is wrong, and why; for a query, also where in its text (1-based line and
     * column, 0 when the error is about the query as a whole), absent for other fields.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message, Integer line, Integer column) {

        public FieldError(String field, String message) {
            this(field, message, null, null);
        }
    }

    /** Whether this job runs a SQL {@code query} instead of map and reduce functions. */
    public boolean hasQuery() {
        return query != null;
    }

    /** This request with every missing optional field set to its default and function names in canonical form. */
    public JobRequest withDefaults() {
        return new JobRequest(
                jobName == null ? null : jobName.strip(),
                inputTopic == null && inputPath == null ? DEFAULT_TOPIC : inputTopic,
                inputPath,
                from,
                to,
                numMappers == null ? DEFAULT_MAPPERS : numMappers,
                numReducers == null ? DEFAULT_REDUCERS : numReducers,
                mapFunction == null
                        ? (query == null ? DEFAULT_MAP_FUNCTION : null)
                        : mapFunction.strip().toUpperCase(Locale.ROOT),
                reduceFunction == null
                        ? (query == null ? DEFAULT_REDUCE_FUNCTION : null)
                        : reduceFunction.strip().toUpperCase(Locale.ROOT),
                parameters == null ? (query == null ? Map.of() : null) : new LinkedHashMap<>(parameters),
                combiner == null ? Boolean.TRUE : combiner,
                formatWithFieldMap(),
                null,
                maxMalformedRatio,
                requestId,
                query);
    }

    /**
     * The format with the renames of {@code fieldMap} added to its {@code fields}; null (the default format) when
     * neither is given, so that a job without them reads as before formats existed.
     */
    private FormatSpec formatWithFieldMap() {
        if (fieldMap == null || fieldMap.isEmpty()) {
            return format;
        }
        FormatSpec spec = format == null ? FormatSpec.DEFAULT : format;
        Map<String, String> fields = new LinkedHashMap<>();
        if (spec.fields() != null) {
            fields.putAll(spec.fields());
        }
        fields.putAll(fieldMap);
        return spec.withFields(fields);
    }

    /** Every wrong field of this request (call on {@link #withDefaults()}); empty when it is valid. */
    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        MapFunction map = null;
        if (jobName == null || jobName.isBlank()) {
            errors.add(new FieldError("jobName", "is required"));
        } else if (jobName.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("jobName", "must be at most " + MAX_NAME_LENGTH + " characters"));
        } else if (jobName.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("jobName", "must not contain control characters"));
        }
        validateInput(errors);
        if (numMappers == null || numMappers < 1 || numMappers > MAX_MAPPERS) {
            errors.add(new FieldError("numMappers", "must be between 1 and " + MAX_MAPPERS));
        }
        if (numReducers == null || numReducers < 1 || numReducers > MAX_REDUCERS) {
            errors.add(new FieldError("numReducers", "must be between 1 and " + MAX_REDUCERS));
        }
        if (query != null) {
            // a query job has no functions: validateFormat parses the query against its format's fields
            String message = "a job runs a query or map and reduce functions, not both: leave it out beside query";
            if (mapFunction != null) {
                errors.add(new FieldError("mapFunction", message));
            }
            if (reduceFunction != null) {
                errors.add(new FieldError("reduceFunction", message));
            }
            if (parameters != null) {
                errors.add(new FieldError("parameters", message));
            }
        } else if (parameters != null && parameters.size() > MAX_PARAMETERS) {
            errors.add(new FieldError("parameters", "must have at most " + MAX_PARAMETERS + " entries"));
        } else if (parameters != null && parameters.values().stream().anyMatch(v -> v == null)) {
            errors.add(new FieldError("parameters", "values must be strings, not null"));
        } else if (parameters != null
                && parameters.entrySet().stream()
                        .anyMatch(e ->
                                e.getKey().indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0)) {
            // PostgreSQL text cannot hold U+0000; a pattern can still match it as \x00
            errors.add(new FieldError("parameters", "names and values must not contain the NUL character (U+0000)"));
        } else {
            try {
                map = FunctionCatalogue.mapFunction(mapFunction, parameters == null ? Map.of() : parameters);
            } catch (JobFunctionException e) {
                errors.add(new FieldError(
                        e.getMessage().startsWith("unknown map function") ? "mapFunction" : "parameters",
                        e.getMessage()));
            }
        }
        if (query == null) {
            try {
                FunctionCatalogue.reduceFunction(reduceFunction);
            } catch (JobFunctionException e) {
                errors.add(new FieldError("reduceFunction", e.getMessage()));
            }
        }
        validateFormat(map, errors);
        return errors;
    }

    /**
     * The format compiles (every problem of it named, each as {@code format.<member>}), has every
     * field the map function reads, and, for topic input, takes no header line; the malformed
     * limit is a share.
     */
    private void validateFormat(MapFunction map, List<FieldError> errors) {
        if (fieldMap != null) {
            errors.add(new FieldError("fieldMap", "call validate() on withDefaults(), which merges it into format"));
        }
        if (maxMalformedRatio != null && !(maxMalformedRatio >= 0 && maxMalformedRatio <= 1)) {
            errors.add(new FieldError("maxMalformedRatio", "must be between 0 and 1"));
        }
        if (requestId != null
                && (requestId.isEmpty()
                        || requestId.length() > MAX_REQUEST_ID_LENGTH
                        || requestId.codePoints().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError(
                    "requestId",
                    "must be 1 to " + MAX_REQUEST_ID_LENGTH + " characters, none of them control characters"));
        }
        LogFormat compiled;
        try {
            compiled = Formats.compile(format == null ? FormatSpec.DEFAULT : format);
        } catch (FormatException e) {
            e.problems().forEach(p -> errors.add(formatError(p)));
            return;
        }
        if (compiled.hasHeader() && inputTopic != null && inputPath == null) {
            errors.add(new FieldError(
                    "format.header",
                    "format " + compiled.name() + " takes its columns from a header line, which a topic does not"
                            + " have: name the columns (\"columns\": [...])"));
        }
        if (query != null) {
            validateQuery(compiled, errors);
        }
        if (map != null) {
            try {
                FunctionCatalogue.checkFields(mapFunction, map, compiled);
            } catch (FormatException e) {
                String fields = compiled.fields().stream().map(f -> f.name()).collect(Collectors.joining(", "));
                for (FormatException.Problem p : e.problems()) {
                    // a field named by a parameter (COUNT_BY's field) is the parameter's mistake, not the format's
                    Map.Entry<String, String> parameter = parameters == null
                            ? null
                            : parameters.entrySet().stream()
                                    .filter(entry -> p.message().contains("'" + entry.getValue() + "'"))
                                    .findFirst()
                                    .orElse(null);
                    if (parameter == null) {
                        errors.add(new FieldError("format.fields", p.message()));
                    } else {
                        errors.add(new FieldError(
                                "parameters." + parameter.getKey(),
                                "names the field '" + parameter.getValue() + "', which format " + compiled.name()
                                        + " does not have; its fields: " + fields));
                    }
                }
            }
        }
    }

    /** The query runs on the format's fields: a {@link QueryException} is a {@code query} error with its position. */
    private void validateQuery(LogFormat compiled, List<FieldError> errors) {
        int nul = query.indexOf('\0');
        if (nul >= 0) {
            // PostgreSQL text cannot hold U+0000, and no query needs it
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < nul; i++) {
                if (query.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            errors.add(
                    new FieldError("query", "must not contain the NUL character (U+0000)", line, nul - lineStart + 1));
            return;
        }
        try {
            SqlQuery.parse(query, QuerySchema.of(compiled));
        } catch (QueryException e) {
            errors.add(new FieldError("query", e.getMessage(), e.line(), e.column()));
        }
    }

    private static FieldError formatError(FormatException.Problem p) {
        return new FieldError(p.field() == null || p.field().isEmpty() ? "format" : "format." + p.field(), p.message());
    }

    private void validateInput(List<FieldError> errors) {
        boolean both = inputTopic != null && inputPath != null;
        if (both) {
            String message = "inputTopic and inputPath are exclusive: give one of them";
            errors.add(new FieldError("inputTopic", message));
            errors.add(new FieldError("inputPath", message));
        } else if (inputPath != null) {
            String problem = ObjectPath.isObjectPath(inputPath)
                    ? ObjectPath.syntaxProblem(inputPath)
                    : InputRoot.syntaxProblem(inputPath);
            if (problem != null) {
                errors.add(new FieldError("inputPath", problem));
            }
        } else if (inputTopic == null || !TOPIC.matcher(inputTopic).matches()) {
            errors.add(new FieldError(
                    "inputTopic", "must be a Kafka topic name: 1 to 249 of the characters a-z A-Z 0-9 . _ -"));
        }
        boolean fromValid = checkTime("from", from, errors);
        boolean toValid = checkTime("to", to, errors);
        if (inputPath != null && !both) {
            if (from != null && fromValid) {
                errors.add(new FieldError("from", "applies to topic input only, not to inputPath"));
            }
            if (to != null && toValid) {
                errors.add(new FieldError("to", "applies to topic input only, not to inputPath"));
            }
        } else if (from != null && to != null && fromValid && toValid && !from.isBefore(to)) {
            errors.add(new FieldError("to", "must be after from (" + from + ")"));
        }
    }

    private static boolean checkTime(String field, Instant time, List<FieldError> errors) {
        if (time != null && (time.isBefore(MIN_TIME) || time.isAfter(MAX_TIME))) {
            errors.add(new FieldError(field, "must be between " + MIN_TIME + " and " + MAX_TIME));
            return false;
        }
        return true;
    }
}
