package dev.mapreduce.coordinator.job;

import dev.mapreduce.protocol.JobRequest.FieldError;
import dev.mapreduce.protocol.JobStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One page of the jobs list: the statuses to show (empty: all), a case-insensitive substring of
 * the job name, the owning tenant (null: every tenant), and the page.
 */
record JobQuery(List<String> statuses, String name, String owner, int limit, int offset) {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;

    /**
     * The query the request parameters ask for; blank parameters take their defaults.
     *
     * @throws InvalidQueryException naming every wrong parameter
     */
    static JobQuery parse(String status, String name, String owner, String limit, String offset) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> statuses = new LinkedHashSet<>();
        if (status != null) {
            for (String part : status.split(",")) {
                String wanted = part.strip().toUpperCase(Locale.ROOT);
                if (wanted.isEmpty()) {
                    continue;
                }
                if (Arrays.stream(JobStatus.values()).anyMatch(s -> s.name().equals(wanted))) {
                    statuses.add(wanted);
                } else {
                    errors.add(new FieldError(
                            "status",
                            "'" + part.strip() + "' is not a job status; valid: "
                                    + Arrays.stream(JobStatus.values())
                                            .map(Enum::name)
                                            .collect(Collectors.joining(", "))));
                }
            }
        }
        int pageSize = integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
        int skip = integer("offset", offset, 0, 0, Integer.MAX_VALUE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidQueryException(errors);
        }
        return new JobQuery(List.copyOf(statuses), blankToNull(name), blankToNull(owner), pageSize, skip);
    }

    private static int integer(String field, String text, int fallback, int min, int max, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String range =
                max == Integer.MAX_VALUE ? "an integer of at least " + min : "an integer from " + min + " to " + max;
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        errors.add(new FieldError(field, "must be " + range + ", not '" + text + "'"));
        return fallback;
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
