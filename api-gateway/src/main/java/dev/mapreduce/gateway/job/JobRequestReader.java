package dev.mapreduce.gateway.job;

import dev.mapreduce.gateway.format.FormatField;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobRequest.FieldError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the body of {@code POST /api/jobs} strictly, naming every field it cannot read at once.
 *
 * <p>The body is read as a JSON tree and each field checked by hand rather than bound by Jackson,
 * so that one answer lists all unreadable fields, and so that nothing is coerced: {@code "4"} is not a
 * number, {@code 123} is not a job name, {@code 1.5} is not a count. Unknown fields are rejected,
 * which catches typos such as {@code numMapper}; so are duplicate fields. A field set to
 * {@code null} counts as absent.
 *
 * <p>What the values mean is not checked here: the coordinator, which owns jobs, fills in the defaults and
 * validates the job once ({@link JobRequest#withDefaults()}, {@link JobRequest#validate()}: ranges, functions,
 * the format, the query with its line and column), and its 400 problem is relayed unchanged.
 */
final class JobRequestReader {

    /** The fields of a job, in their documented order. */
    static final List<String> FIELDS = List.of(
            "jobName",
            "inputTopic",
            "inputPath",
            "from",
            "to",
            "numMappers",
            "numReducers",
            "mapFunction",
            "reduceFunction",
            "parameters",
            "query",
            "combiner",
            "format",
            "fieldMap",
            "maxMalformedRatio",
            "requestId");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // checked by parse(), with a message a caller can read
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Jackson's "(start marker at [Source: REDACTED …])" says nothing to a caller. */
    private static final Pattern START_MARKER = Pattern.compile("\\s*\\(start marker at \\[[^\\]]*\\]\\)");

    private JobRequestReader() {}

    /**
     * The job in {@code body}, as given: absent fields stay absent.
     *
     * @throws InvalidJobRequestException if the body is not JSON, not an object, or any field cannot be read
     */
    static JobRequest read(byte[] body) {
        JsonNode tree = parse(body);
        if (!tree.isObject()) {
            throw InvalidJobRequestException.body("the request body must be a JSON object, not " + describe(tree));
        }
        Fields fields = new Fields(tree);
        JobRequest request = new JobRequest(
                fields.string("jobName"),
                fields.string("inputTopic"),
                fields.string("inputPath"),
                fields.instant("from"),
                fields.instant("to"),
                fields.integer("numMappers", JobRequest.MAX_MAPPERS),
                fields.integer("numReducers", JobRequest.MAX_REDUCERS),
                fields.string("mapFunction"),
                fields.string("reduceFunction"),
                fields.stringMap("parameters"),
                fields.bool("combiner"),
                FormatField.read(tree.get("format"), fields.errors),
                fields.stringMap("fieldMap"),
                fields.ratio("maxMalformedRatio"),
                fields.string("requestId"),
                fields.string("query"));
        List<FieldError> errors = fields.errors;
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(e -> order(e.field())));
            throw InvalidJobRequestException.fields(errors);
        }
        return request;
    }

    private static JsonNode parse(byte[] body) {
        JsonNode tree;
        try (JsonParser parser = JSON.createParser(body)) {
            tree = JSON.readTree(parser);
            if (tree != null && parser.nextToken() != null) {
                throw InvalidJobRequestException.body(
                        "the request body has more after its JSON object" + where(parser.currentTokenLocation()));
            }
        } catch (JacksonException e) {
            String message = START_MARKER.matcher(e.getOriginalMessage()).replaceAll("");
            throw InvalidJobRequestException.body(
                    "the request body is not valid JSON: " + message + where(e.getLocation()));
        }
        if (tree == null || tree.isMissingNode()) {
            throw InvalidJobRequestException.body("the request body is empty; it must be a JSON object");
        }
        return tree;
    }

    private static String where(TokenStreamLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Known fields in their documented order, then unknown and parameter fields. */
    private static int order(String field) {
        int dot = field.indexOf('.');
        int known = FIELDS.indexOf(dot > 0 ? field.substring(0, dot) : field);
        return known < 0 ? FIELDS.size() : known;
    }

    private static String describe(JsonNode node) {
        if (node.isNull()) return "null";
        if (node.isString()) return "a string";
        if (node.isNumber()) return "a number";
        if (node.isBoolean()) return "a boolean";
        if (node.isArray()) return "an array";
        return "an object";
    }

    /** The fields of one request object, with the errors found while taking them out. */
    private static final class Fields {

        private final JsonNode tree;
        private final List<FieldError> errors = new ArrayList<>();

        Fields(JsonNode tree) {
            this.tree = tree;
            for (String name : tree.propertyNames()) {
                if (!FIELDS.contains(name)) {
                    errors.add(new FieldError(name, unknownField(name)));
                }
            }
        }

        String string(String field) {
            return take(field, JsonNode::isString, "a string", JsonNode::stringValue);
        }

        /** An ISO-8601 instant with a zone offset: {@code 2026-11-20T00:00:00Z} or {@code …+01:00}. */
        Instant instant(String field) {
            String text = string(field);
            if (text == null) {
                return null;
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(
                        field, "must be an ISO-8601 instant with a zone offset, such as 2026-11-20T00:00:00Z"));
                return null;
            }
        }

        Boolean bool(String field) {
            return take(field, JsonNode::isBoolean, "true or false", JsonNode::booleanValue);
        }

        Integer integer(String field, int max) {
            JsonNode value = tree.get(field);
            if (value != null && value.isIntegralNumber() && !value.canConvertToInt()) {
                errors.add(new FieldError(field, "must be between 1 and " + max));
                return null;
            }
            return take(field, JsonNode::isIntegralNumber, "an integer", JsonNode::intValue);
        }

        /** An object of string values: {@code parameters}, {@code fieldMap}. */
        Map<String, String> stringMap(String field) {
            JsonNode value = tree.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isObject()) {
                errors.add(new FieldError(field, "must be an object of string values, not " + describe(value)));
                return null;
            }
            Map<String, String> map = new LinkedHashMap<>();
            value.forEachEntry((name, entry) -> {
                if (entry.isString()) {
                    map.put(name, entry.stringValue());
                } else {
                    errors.add(new FieldError(field + "." + name, "must be a string, not " + describe(entry)));
                }
            });
            return map;
        }

        /** A number (from 0 to 1, which the coordinator checks). */
        Double ratio(String field) {
            return take(field, JsonNode::isNumber, "a number from 0 to 1", JsonNode::doubleValue);
        }

        private <T> T take(String field, Predicate<JsonNode> is, String what, Function<JsonNode, T> get) {
            JsonNode value = tree.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!is.test(value)) {
                errors.add(new FieldError(field, "must be " + what + ", not " + describe(value)));
                return null;
            }
            return get.apply(value);
        }
    }

    private static String unknownField(String name) {
        for (String known : FIELDS) {
            // two edits on a short name like "to" would turn almost anything into it
            int tolerance = Math.min(2, known.length() / 2);
            if (known.equalsIgnoreCase(name)
                    || distance(known.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)) <= tolerance) {
                return "is not a job field; did you mean " + known + "?";
            }
        }
        return "is not a job field; the fields are " + String.join(", ", FIELDS);
    }

    /** Levenshtein distance, for suggesting the field a typo meant. */
    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) {
            return 3;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
