package dev.mapreduce.engine.format.text;

import com.google.re2j.Pattern;
import dev.mapreduce.engine.format.CompiledFormat;
import dev.mapreduce.engine.format.FieldType;
import dev.mapreduce.engine.format.FormatException;
import dev.mapreduce.engine.format.FormatException.Problem;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.Regexes;
import dev.mapreduce.engine.format.Timestamps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The formats that read text by a rule the job gives: logfmt, regex, grok, csv and tsv. */
public final class TextFormats {

    private TextFormats() {}

    public static CompiledFormat.Builder logfmt() {
        return CompiledFormat.builder("logfmt", LogfmtParser::new)
                .field("time", FieldType.TIMESTAMP, "when (ISO-8601), as Go's log/slog writes it")
                .field("level", FieldType.STRING, "the level")
                .field("msg", FieldType.STRING, "the message")
                .field("timestamp", FieldType.TIMESTAMP, "time")
                .field("message", FieldType.STRING, "msg")
                .rename("timestamp", "time")
                .rename("message", "msg")
                .acceptsAnyField(true)
                .anyFieldCheck(name -> name.contains(" ") || name.contains("=") || name.contains("\"")
                        ? "a logfmt key has no spaces, '=' or '\"'"
                        : null)
                .timestampField("time")
                .timestampPatterns("time", List.of(Timestamps.ISO8601))
                .sampleLines(
                        List.of(
                                "time=2026-11-20T08:15:30.123Z level=INFO msg=\"GET /cart\" status=200 dur_ms=12 user=alice",
                                "at=error code=H12 desc=\"Request timeout\" method=GET path=\"/\" host=shop.example status=503"));
    }

    /** {@code spec.pattern}: an RE2 pattern whose named groups are the fields. */
    public static CompiledFormat.Builder regex(FormatSpec spec, List<Problem> problems) {
        if (spec.pattern() == null || spec.pattern().isEmpty()) {
            problems.add(new Problem(
                    "pattern",
                    "format regex needs a pattern: an RE2 expression with named groups" + " such as (?P<status>\\d+)"));
            return null;
        }
        Pattern pattern;
        try {
            pattern = Regexes.compile(spec.pattern());
        } catch (FormatException e) {
            e.problems().forEach(p -> problems.add(new Problem("pattern", p.message())));
            return null;
        }
        if (pattern.namedGroups().isEmpty()) {
            problems.add(
                    new Problem("pattern", "has no named group, so it yields no field: name groups as (?P<name>...)"));
            return null;
        }
        Map<String, int[]> groups = new LinkedHashMap<>();
        pattern.namedGroups().entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> groups.put(e.getKey(), new int[] {e.getValue()}));
        CompiledFormat.Builder b = CompiledFormat.builder("regex", f -> new RegexParser(pattern, groups, f));
        groups.keySet().forEach(name -> b.field(name, FieldType.STRING, "the group " + name));
        return b.sampleLines(List.of());
    }

    /** {@code spec.pattern}: a grok expression; {@code spec.patterns}: patterns of the job's own. */
    public static CompiledFormat.Builder grok(FormatSpec spec, List<Problem> problems) {
        if (spec.pattern() == null || spec.pattern().isEmpty()) {
            problems.add(new Problem("pattern", "format grok needs a pattern such as %{IP:client} %{WORD:method}"));
            return null;
        }
        List<String> found = new ArrayList<>();
        if (spec.patterns() != null) {
            spec.patterns().forEach((name, definition) -> {
                if (name == null || !name.matches("[A-Za-z0-9_]{1,64}")) {
                    found.add("a pattern name must be 1-64 letters, digits or _, got '" + name + "'");
                } else if (definition == null || definition.isEmpty()) {
                    found.add("pattern " + name + " is empty");
                }
            });
        }
        Grok.Expansion expansion = Grok.expand(spec.pattern(), spec.patterns(), found);
        if (found.isEmpty() && expansion.fields().isEmpty()) {
            found.add("names no field: capture one as %{PATTERN:field}");
        }
        Pattern pattern = null;
        if (found.isEmpty()) {
            try {
                pattern = Regexes.compile(expansion.regex());
            } catch (FormatException e) {
                e.problems().forEach(p -> found.add("once expanded, " + p.message()));
            }
        }
        Set<String> seen = new HashSet<>();
        for (String p : found) {
            if (seen.add(p)) {
                problems.add(new Problem("pattern", p));
            }
        }
        if (pattern == null) {
            return null;
        }
        Map<String, Integer> named = pattern.namedGroups();
        Map<String, int[]> groups = new LinkedHashMap<>();
        expansion
                .fields()
                .forEach((field, names) ->
                        groups.put(field, names.stream().mapToInt(named::get).toArray()));
        Pattern compiled = pattern;
        CompiledFormat.Builder b = CompiledFormat.builder("grok", f -> new RegexParser(compiled, groups, f));
        for (String field : groups.keySet()) {
            b.field(field, expansion.types().getOrDefault(field, FieldType.STRING), "the grok field " + field);
        }
        return b.sampleLines(List.of());
    }

    /** csv or tsv: {@code spec.columns}, or the header line of each file. */
    public static CompiledFormat.Builder csv(FormatSpec spec, boolean tsv, List<Problem> problems) {
        String name = tsv ? "tsv" : "csv";
        char delimiter = tsv ? '\t' : ',';
        if (spec.delimiter() != null) {
            if (tsv) {
                problems.add(new Problem("delimiter", "tsv is always tab-delimited; use csv with a delimiter"));
            } else if (spec.delimiter().length() != 1
                    || spec.delimiter().equals("\"")
                    || spec.delimiter().equals("\n")
                    || spec.delimiter().equals("\r")) {
                problems.add(new Problem("delimiter", "must be one character other than a quote or a line break"));
            } else {
                delimiter = spec.delimiter().charAt(0);
            }
        }
        List<String> columns = spec.columns();
        if (columns != null) {
            if (columns.isEmpty()) {
                problems.add(new Problem("columns", "must name at least one column"));
            }
            Set<String> seen = new HashSet<>();
            for (String c : columns) {
                String problem = Formats.fieldNameProblem(c);
                if (problem != null) {
                    problems.add(new Problem("columns", problem));
                } else if (!seen.add(c)) {
                    problems.add(new Problem("columns", "column '" + c + "' is named twice"));
                }
            }
        }
        boolean header = spec.header() != null ? spec.header() : columns == null;
        if (!problems.isEmpty()) {
            return null;
        }
        char d = delimiter;
        List<String> given = columns == null ? null : List.copyOf(columns);
        // with a header and no columns, each file names its own, so any name may be a column
        CompiledFormat.Builder b = CompiledFormat.builder(name, f -> new CsvParser(d, given, f))
                .header(header)
                .headerColumns(line -> CsvParser.columns(d, line))
                .acceptsAnyField(given == null);
        if (given != null) {
            given.forEach(c -> b.field(c, FieldType.STRING, "the column " + c));
        }
        String sep = String.valueOf(d);
        return b.sampleLines(List.of(
                String.join(sep, "time", "user", "action", "amount"),
                String.join(sep, "2026-11-20T08:15:30Z", "alice", "\"paid, with a coupon\"", "12"),
                String.join(sep, "2026-11-20T08:15:31Z", "bob", "\"said \"\"hi\"\"\"", "")));
    }
}
