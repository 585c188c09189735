package dev.mapreduce.protocol;

import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.JobFunctionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A job as submitted to {@code POST /api/jobs}. Every field but {@code jobName} is optional;
 * {@link #withDefaults()} fills in the documented defaults and {@link #validate()} names every
 * wrong field at once.
 */
public record JobRequest(
        String jobName,
        String inputTopic,
        Integer numMappers,
        Integer numReducers,
        String mapFunction,
        String reduceFunction,
        Map<String, String> parameters,
        Boolean combiner) {

    public static final String DEFAULT_TOPIC = "application-logs";
    public static final int DEFAULT_MAPPERS = 4;
    public static final int DEFAULT_REDUCERS = 2;
    public static final String DEFAULT_MAP_FUNCTION = "WORD_COUNT";
    public static final String DEFAULT_REDUCE_FUNCTION = "SUM";
    public static final int MAX_MAPPERS = 1024;
    public static final int MAX_REDUCERS = 1024;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_PARAMETERS = 64;

    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** One field that is wrong, and why. */
    public record FieldError(String field, String message) {}

    /** This request with every missing optional field set to its default and function names in canonical form. */
    public JobRequest withDefaults() {
        return new JobRequest(
                jobName == null ? null : jobName.strip(),
                inputTopic == null ? DEFAULT_TOPIC : inputTopic,
                numMappers == null ? DEFAULT_MAPPERS : numMappers,
                numReducers == null ? DEFAULT_REDUCERS : numReducers,
                mapFunction == null ? DEFAULT_MAP_FUNCTION : mapFunction.strip().toUpperCase(Locale.ROOT),
                reduceFunction == null
                        ? DEFAULT_REDUCE_FUNCTION
                        : reduceFunction.strip().toUpperCase(Locale.ROOT),
                parameters == null ? Map.of() : new LinkedHashMap<>(parameters),
                combiner == null ? Boolean.TRUE : combiner);
    }

    /** Every wrong field of this request (call on {@link #withDefaults()}); empty when it is valid. */
    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (jobName == null || jobName.isBlank()) {
            errors.add(new FieldError("jobName", "is required"));
        } else if (jobName.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("jobName", "must be at most " + MAX_NAME_LENGTH + " characters"));
        } else if (jobName.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("jobName", "must not contain control characters"));
        }
        if (inputTopic == null || !TOPIC.matcher(inputTopic).matches()) {
            errors.add(new FieldError(
                    "inputTopic", "must be a Kafka topic name: 1 to 249 of the characters a-z A-Z 0-9 . _ -"));
        }
        if (numMappers == null || numMappers < 1 || numMappers > MAX_MAPPERS) {
            errors.add(new FieldError("numMappers", "must be between 1 and " + MAX_MAPPERS));
        }
        if (numReducers == null || numReducers < 1 || numReducers > MAX_REDUCERS) {
            errors.add(new FieldError("numReducers", "must be between 1 and " + MAX_REDUCERS));
        }
        if (parameters != null && parameters.size() > MAX_PARAMETERS) {
            errors.add(new FieldError("parameters", "must have at most " + MAX_PARAMETERS + " entries"));
        } else if (parameters != null && parameters.values().stream().anyMatch(v -> v == null)) {
            errors.add(new FieldError("parameters", "values must be strings, not null"));
        } else {
            try {
                FunctionCatalogue.mapFunction(mapFunction, parameters == null ? Map.of() : parameters);
            } catch (JobFunctionException e) {
                errors.add(new FieldError(
                        e.getMessage().startsWith("unknown map function") ? "mapFunction" : "parameters",
                        e.getMessage()));
            }
        }
        try {
            FunctionCatalogue.reduceFunction(reduceFunction);
        } catch (JobFunctionException e) {
            errors.add(new FieldError("reduceFunction", e.getMessage()));
        }
        return errors;
    }
}
