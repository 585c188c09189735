package dev.mapreduce.engine.function;

import dev.mapreduce.engine.format.FormatException;
import dev.mapreduce.engine.format.LogFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The built-in map and reduce functions, by the names the API uses. Names are matched ignoring
 * case; an unknown name is an error that lists the valid ones.
 */
public final class FunctionCatalogue {

    /**
     * A map function's name, what it emits, and the job parameters it takes: {@code parameters} in
     * one line (empty when it takes none), {@code parameterDetails} one by one.
     */
    public record MapFunctionInfo(
            String name, String description, String parameters, List<Parameter> parameterDetails) {

        MapFunctionInfo(String name, String description) {
            this(name, description, "", List.of());
        }

        MapFunctionInfo(String name, String description, Parameter parameter) {
            this(name, description, List.of(parameter));
        }

        MapFunctionInfo(String name, String description, List<Parameter> parameters) {
            this(
                    name,
                    description,
                    parameters.stream()
                            .map(p -> p.name() + ": " + p.description())
                            .collect(Collectors.joining("; ")),
                    parameters);
        }
    }

    /**
     * One job parameter of a map function: its name ({@code NAME} stands for a name the user
     * chooses), what it does, and its value when not given (null: absent).
     */
    public record Parameter(String name, String description, String defaultValue) {}

    private record Entry(MapFunctionInfo info, Function<Map<String, String>, MapFunction> factory) {}

    private static final List<Entry> MAP_FUNCTIONS = List.of(
            new Entry(
                    new MapFunctionInfo(
                            "WORD_COUNT",
                            "each token of the message (maximal runs of [A-Za-z0-9_], lowercased) with value 1"),
                    p -> new WordCount()),
            new Entry(
                    new MapFunctionInfo("SERVICE_DISTRIBUTION", "the service of each record with value 1"),
                    p -> new FieldCount("service")),
            new Entry(
                    new MapFunctionInfo("LEVEL_COUNT", "the level of each record, as written, with value 1"),
                    p -> new FieldCount("level")),
            new Entry(
                    new MapFunctionInfo(
                            "ERROR_PATTERN",
                            "for WARN/WARNING/ERROR/FATAL records, each named pattern the message matches with value 1"
                                    + " (NAME, or NAME:captured for patterns with a group); built in: "
                                    + ErrorPatterns.CATALOGUE.stream()
                                            .map(ErrorPatterns.BuiltIn::name)
                                            .collect(Collectors.joining(", ")),
                            new Parameter(
                                    ErrorPatterns.PARAMETER_PREFIX + "NAME",
                                    "adds the pattern NAME, or replaces the built-in one of that name: an RE2 regular"
                                            + " expression (no backreferences or lookaround); with a capturing group"
                                            + " it counts per captured value, as NAME:value; up to "
                                            + ErrorPatterns.MAX_PATTERNS + " patterns of at most "
                                            + ErrorPatterns.MAX_REGEX_LENGTH + " characters",
                                    null)),
                    ErrorPatterns::withParameters),
            new Entry(
                    new MapFunctionInfo(
                            "LATENCY",
                            "the service of each record whose message reports a duration '<N> ms', with value N"
                                    + " (use with AVG, MIN, MAX or SUM)"),
                    p -> new Latency()),
            new Entry(
                    new MapFunctionInfo(
                            "COUNT_BY",
                            "the value of any field, with value 1: records per value (records without the field"
                                    + " count for nothing)",
                            new Parameter("field", "the field to count by, e.g. status", null)),
                    p -> new FieldCount(required(p, "COUNT_BY", "field"))),
            new Entry(
                    new MapFunctionInfo(
                            "VALUE_BY",
                            "the value of a key field with the number in a value field, so SUM, MIN, MAX, AVG and"
                                    + " COUNT apply to any number in the log (records without the key, or whose value is"
                                    + " not a whole number, emit nothing)",
                            List.of(
                                    new Parameter("key", "the field to group by, e.g. path", null),
                                    new Parameter("value", "the field holding a whole number, e.g. bytes", null))),
                    p -> new ValueBy(required(p, "VALUE_BY", "key"), required(p, "VALUE_BY", "value"))));

    private FunctionCatalogue() {}

    /** Every map function, in catalogue order. */
    public static List<MapFunctionInfo> mapFunctions() {
        return MAP_FUNCTIONS.stream().map(Entry::info).toList();
    }

    /** The built-in ERROR_PATTERN catalogue: name → (regex, description). */
    public static List<String[]> errorPatterns() {
        return ErrorPatterns.CATALOGUE.stream()
                .map(b -> new String[] {b.name(), b.regex(), b.description()})
                .toList();
    }

    /**
     * A new instance of the named map function configured with {@code parameters}.
     *
     * @throws JobFunctionException if the name is unknown or a parameter is not valid
     */
    public static MapFunction mapFunction(String name, Map<String, String> parameters) {
        Entry entry = MAP_FUNCTIONS.stream()
                .filter(e -> e.info().name().equals(normalise(name)))
                .findFirst()
                .orElseThrow(() -> new JobFunctionException("unknown map function '" + name + "'; valid: "
                        + MAP_FUNCTIONS.stream().map(e -> e.info().name()).collect(Collectors.joining(", "))));
        if (entry.info().parameters().isEmpty() && !parameters.isEmpty()) {
            throw new JobFunctionException(
                    entry.info().name() + " takes no parameters, got " + String.join(", ", sortedNames(parameters)));
        }
        return entry.factory().apply(parameters);
    }

    /**
     * Checks that {@code format} yields every field {@code function} reads.
     *
     * @throws FormatException naming each field it lacks, with the format's fields
     */
    public static void checkFields(String functionName, MapFunction function, LogFormat format) {
        List<FormatException.Problem> problems = new ArrayList<>();
        for (String field : function.fields()) {
            if (format.field(field).isEmpty()) {
                problems.add(new FormatException.Problem(
                        "fields",
                        normalise(functionName) + " reads the field '" + field + "', which format " + format.name()
                                + " does not have (its fields: "
                                + format.fields().stream().map(f -> f.name()).collect(Collectors.joining(", "))
                                + "); name the field to use with \"fields\": {\"" + field + "\": \"<field>\"}"));
            }
        }
        if (!problems.isEmpty()) {
            throw new FormatException(problems);
        }
    }

    /**
     * The names of the parameters given, in alphabetical order: the maps a job carries (Map.copyOf)
     * iterate in an order that changes from one JVM to the next, and an error should read the same.
     */
    private static List<String> sortedNames(Map<String, String> parameters) {
        return parameters.keySet().stream().sorted().toList();
    }

    /** A required parameter of a function that takes exactly the ones it lists. */
    private static String required(Map<String, String> parameters, String function, String name) {
        Entry entry = MAP_FUNCTIONS.stream()
                .filter(e -> e.info().name().equals(function))
                .findFirst()
                .orElseThrow();
        List<String> problems = new ArrayList<>();
        for (String given : sortedNames(parameters)) {
            if (entry.info().parameterDetails().stream().noneMatch(p -> p.name().equals(given))) {
                problems.add("unknown parameter '" + given + "' (" + function + " takes "
                        + entry.info().parameterDetails().stream()
                                .map(Parameter::name)
                                .collect(Collectors.joining(", "))
                        + ")");
            }
        }
        for (Parameter p : entry.info().parameterDetails()) {
            String value = parameters.get(p.name());
            if (value == null || value.isBlank()) {
                problems.add(function + " needs the parameter '" + p.name() + "' (" + p.description() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new JobFunctionException(String.join("; ", problems));
        }
        return parameters.get(name).strip();
    }

    /**
     * The named reduce function.
     *
     * @throws JobFunctionException if the name is unknown
     */
    public static ReduceFunction reduceFunction(String name) {
        String wanted = normalise(name);
        return Arrays.stream(ReduceFunction.values())
                .filter(f -> f.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new JobFunctionException("unknown reduce function '" + name + "'; valid: "
                        + Arrays.stream(ReduceFunction.values()).map(Enum::name).collect(Collectors.joining(", "))));
    }

    private static String normalise(String name) {
        return name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
    }
}
