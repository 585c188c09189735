package dev.mapreduce.engine.format;

import dev.mapreduce.engine.format.FormatException.Problem;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The formats and presets, by name: {@link #compile} turns a {@link FormatSpec} into a {@link
 * LogFormat}, naming every problem of the spec at once; {@link #catalogue} describes them all.
 */
public final class Formats {

    /** Longest field name. */
    public static final int MAX_NAME_LENGTH = 200;

    private static final List<FormatKind> KINDS_IN_ORDER = FormatKinds.all();
    private static final Map<String, FormatKind> KINDS = new LinkedHashMap<>();

    static {
        for (FormatKind k : KINDS_IN_ORDER) {
            KINDS.putIfAbsent(k.name(), k); // logfmt is listed as a format and as a preset: one kind
        }
    }

    private Formats() {}

    /** The default format, compiled once. */
    public static final LogFormat DEFAULT = compile(FormatSpec.DEFAULT);

    /**
     * Compiles {@code spec} (null: the default format).
     *
     * @throws FormatException naming every problem at once
     */
    public static LogFormat compile(FormatSpec spec) {
        return compile(spec, Instant.now());
    }

    /**
     * Compiles {@code spec}, completing year-less timestamps as of {@code reference} (see {@link
     * Timestamps}): a job compiles its format with the time it started, so its tasks agree.
     */
    public static LogFormat compile(FormatSpec spec, Instant reference) {
        if (spec == null) {
            spec = FormatSpec.DEFAULT;
        }
        List<Problem> problems = new ArrayList<>();
        String type = spec.type() == null || spec.type().isBlank()
                ? "default"
                : spec.type().strip().toLowerCase(Locale.ROOT);
        FormatKind kind = KINDS.get(type);
        if (kind == null) {
            throw new FormatException(
                    "type",
                    "unknown format '" + spec.type() + "'; formats: " + names(false) + "; presets: " + names(true));
        }
        for (String option : kind.refusedOptions(spec)) {
            problems.add(new Problem(option, "format " + type + " does not take '" + option + "'"));
        }
        Timestamps.Context context = timestampContext(spec.timestamp(), reference, problems);
        CompiledFormat.Builder builder = kind.build(spec, problems);
        if (builder == null) {
            throw new FormatException(problems);
        }
        builder.timestampContext(context);
        applyRenames(spec, builder, problems);
        applyTypes(spec, builder, problems);
        applyTimestamp(spec, builder, problems);
        applyMultiline(spec, builder, problems);
        if (!problems.isEmpty()) {
            throw new FormatException(problems);
        }
        return builder.build();
    }

    /** Every format and preset: its fields, options and a few sample lines. */
    public static List<FormatInfo> catalogue() {
        List<FormatInfo> all = new ArrayList<>();
        for (FormatKind kind : KINDS_IN_ORDER) {
            LogFormat example = compile(kind.example());
            all.add(new FormatInfo(
                    kind.name(),
                    kind.preset() ? "preset" : "format",
                    kind.description(),
                    example.fields(),
                    example.acceptsAnyField(),
                    example.timestampField().orElse(null),
                    example.eventStart().isPresent(),
                    kind.options(),
                    kind.example(),
                    kind.exampleLines().isEmpty() ? example.sampleLines() : kind.exampleLines()));
        }
        return all;
    }

    /** One entry of {@link #catalogue}: {@code example} is a spec that compiles and reads {@code sampleLines}. */
    public record FormatInfo(
            String name,
            String kind,
            String description,
            List<FieldInfo> fields,
            boolean acceptsAnyField,
            String timestampField,
            boolean multiline,
            List<String> options,
            FormatSpec example,
            List<String> sampleLines) {}

    /** Why {@code name} cannot be a field name, or null. */
    public static String fieldNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "a field name must not be empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "a field name must be at most " + MAX_NAME_LENGTH + " characters";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "a field name must not contain control characters";
        }
        return null;
    }

    private static String names(boolean presets) {
        return KINDS_IN_ORDER.stream()
                .filter(k -> k.preset() == presets)
                .map(FormatKind::name)
                .collect(Collectors.joining(", "));
    }

    private static Timestamps.Context timestampContext(
            FormatSpec.TimestampSpec ts, Instant reference, List<Problem> problems) {
        ZoneId zone = null;
        Integer year = null;
        if (ts != null) {
            if (ts.zone() != null) {
                try {
                    zone = ZoneId.of(ts.zone().strip());
                } catch (DateTimeException e) {
                    problems.add(new Problem(
                            "timestamp.zone",
                            "'" + ts.zone() + "' is not a zone (a region such as Europe/Paris, or an offset such as"
                                    + " +02:00)"));
                }
            }
            if (ts.year() != null) {
                if (ts.year() < 1 || ts.year() > 9999) {
                    problems.add(new Problem("timestamp.year", "must be between 1 and 9999"));
                } else {
                    year = ts.year();
                }
            }
        }
        return new Timestamps.Context(zone, year, reference);
    }

    private static void applyRenames(FormatSpec spec, CompiledFormat.Builder b, List<Problem> problems) {
        if (spec.fields() == null) {
            return;
        }
        Map<String, FieldInfo> known = b.fields();
        Map<String, FieldInfo> added = new LinkedHashMap<>();
        spec.fields().forEach((alias, source) -> {
            String where = "fields." + alias;
            String problem = fieldNameProblem(alias);
            if (problem != null) {
                problems.add(new Problem("fields", problem));
                return;
            }
            if (source == null || source.isEmpty()) {
                problems.add(new Problem(where, "must name a field"));
                return;
            }
            FieldInfo from = known.get(source);
            if (from == null && !b.acceptsAnyField()) {
                problems.add(new Problem(
                        where,
                        "'" + source + "' is not a field of format " + b.name() + "; its fields: "
                                + String.join(", ", known.keySet())));
                return;
            }
            b.rename(alias, source);
            FieldInfo info = from == null
                    ? new FieldInfo(alias, FieldType.STRING, "the member " + source)
                    : new FieldInfo(alias, from.type(), from.description());
            added.put(alias, info);
        });
        added.values().forEach(b::field);
    }

    private static void applyTypes(FormatSpec spec, CompiledFormat.Builder b, List<Problem> problems) {
        if (spec.types() == null) {
            return;
        }
        spec.types().forEach((field, type) -> {
            FieldInfo f = b.fields().get(field);
            if (type == null) {
                problems.add(new Problem("types." + field, "must be one of STRING, LONG, DOUBLE, TIMESTAMP, BOOLEAN"));
            } else if (f == null && !b.acceptsAnyField()) {
                problems.add(new Problem(
                        "types." + field,
                        "'" + field + "' is not a field of format " + b.name() + "; its fields: "
                                + String.join(", ", b.fields().keySet())));
            } else {
                b.field(field, type, f == null ? "" : f.description());
            }
        });
    }

    private static void applyTimestamp(FormatSpec spec, CompiledFormat.Builder b, List<Problem> problems) {
        FormatSpec.TimestampSpec ts = spec.timestamp();
        List<String> patterns = ts == null ? null : ts.patterns();
        boolean patternsOk = true;
        if (patterns != null) {
            if (patterns.isEmpty()) {
                problems.add(new Problem("timestamp.patterns", "must not be empty when given"));
                patternsOk = false;
            }
            for (String p : patterns) {
                String problem = Timestamps.problem(p);
                if (problem != null) {
                    problems.add(new Problem("timestamp.patterns", problem));
                    patternsOk = false;
                }
            }
        }
        if (patterns != null && patternsOk) {
            b.anyTimestampPatterns(patterns);
        }
        if (ts == null) {
            return;
        }
        String field = ts.field() != null ? ts.field() : b.timestampField();
        if (field == null) {
            problems.add(new Problem("timestamp.field", "format " + b.name() + " has no event time: name its field"));
            return;
        }
        FieldInfo info = b.fields().get(field);
        if (info == null && !b.acceptsAnyField()) {
            problems.add(new Problem(
                    "timestamp.field",
                    "'" + field + "' is not a field of format " + b.name() + "; its fields: "
                            + String.join(", ", b.fields().keySet())));
            return;
        }
        b.field(field, FieldType.TIMESTAMP, info == null ? "the event time" : info.description());
        b.timestampField(field);
        if (patterns != null && patternsOk) {
            b.timestampPatterns(field, patterns);
        }
    }

    private static void applyMultiline(FormatSpec spec, CompiledFormat.Builder b, List<Problem> problems) {
        FormatSpec.MultilineSpec m = spec.multiline();
        if (m == null) {
            return;
        }
        if (m.start() == null || m.start().isEmpty()) {
            problems.add(new Problem("multiline.start", "must be a pattern that matches the first line of an event"));
            return;
        }
        try {
            b.eventStart(new RegexEventStart(Regexes.compile(m.start())));
        } catch (FormatException e) {
            e.problems().forEach(p -> problems.add(new Problem("multiline.start", p.message())));
        }
    }

    /** The names of every format and preset. */
    public static Set<String> names() {
        return KINDS.keySet();
    }
}
