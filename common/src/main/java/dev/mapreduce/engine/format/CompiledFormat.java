package dev.mapreduce.engine.format;

import dev.mapreduce.engine.input.EventStart;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@link LogFormat} put together from its parts: the fields a format's parser yields, the renames
 * and types a spec adds, the event time and the multi-line rule. Every format is one of these.
 */
public final class CompiledFormat implements LogFormat {

    private final String name;
    private final String description;
    private final List<String> sampleLines;
    private final Map<String, FieldInfo> fields;
    private final boolean acceptsAnyField;
    private final Function<String, String> anyFieldCheck;
    private final Map<String, String> renames;
    private final Function<List<String>, RecordParser> parsers;
    private final String timestampField;
    private final Map<String, TimestampParser> timestampParsers;
    private final TimestampParser anyTimestamp;
    private final EventStart eventStart;
    private final boolean header;
    private final Function<String, List<String>> headerColumns;

    private CompiledFormat(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.sampleLines = List.copyOf(b.sampleLines);
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(b.fields));
        this.acceptsAnyField = b.acceptsAnyField;
        this.anyFieldCheck = b.anyFieldCheck;
        this.renames = Map.copyOf(b.renames);
        this.parsers = b.parsers;
        this.timestampField = b.timestampField;
        Map<String, TimestampParser> parsers = new LinkedHashMap<>();
        b.timestampPatterns.forEach((field, patterns) -> parsers.put(field, Timestamps.parser(patterns, b.context)));
        this.timestampParsers = Map.copyOf(parsers);
        this.anyTimestamp = Timestamps.parser(b.anyTimestampPatterns, b.context);
        this.eventStart = b.eventStart;
        this.header = b.header;
        this.headerColumns = b.headerColumns;
    }

    /** The column names a header line gives (formats with a header; empty for others). */
    public List<String> headerColumns(String line) {
        return headerColumns == null ? List.of() : headerColumns.apply(line);
    }

    public static Builder builder(String name, Function<List<String>, RecordParser> parsers) {
        return new Builder(name, parsers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> sampleLines() {
        return sampleLines;
    }

    @Override
    public List<FieldInfo> fields() {
        return List.copyOf(fields.values());
    }

    @Override
    public boolean acceptsAnyField() {
        return acceptsAnyField;
    }

    @Override
    public Optional<FieldInfo> field(String name) {
        FieldInfo f = fields.get(name);
        if (f != null) {
            return Optional.of(f);
        }
        return acceptsAnyField && Formats.fieldNameProblem(name) == null && anyFieldCheck.apply(name) == null
                ? Optional.of(FieldInfo.anyString(name))
                : Optional.empty();
    }

    @Override
    public RecordParser newParser(List<String> wanted) {
        List<String> sources = new ArrayList<>(wanted.size());
        List<String> unknown = new ArrayList<>();
        for (String field : wanted) {
            if (field(field).isEmpty()) {
                unknown.add(field);
            }
            sources.add(renames.getOrDefault(field, field));
        }
        if (!unknown.isEmpty()) {
            throw new FormatException(unknown.stream()
                    .map(f -> new FormatException.Problem("fields", unknownField(f)))
                    .toList());
        }
        return parsers.apply(sources);
    }

    /** The message for a field this format does not yield, listing those it does. */
    public String unknownField(String field) {
        return "format " + name + " has no field '" + field + "'; its fields: " + String.join(", ", fields.keySet());
    }

    @Override
    public Optional<String> timestampField() {
        return Optional.ofNullable(timestampField);
    }

    @Override
    public TimestampParser timestampParser(String field) {
        TimestampParser p = timestampParsers.get(field); // patterns given for this name win over its source's
        if (p == null) {
            p = timestampParsers.get(renames.getOrDefault(field, field));
        }
        if (p != null) {
            return p;
        }
        FieldInfo info = fields.get(field);
        if (info != null && info.type() == FieldType.TIMESTAMP) {
            return anyTimestamp;
        }
        throw new FormatException("timestamp", "format " + name + " has no timestamp field '" + field + "'");
    }

    @Override
    public Optional<EventStart> eventStart() {
        return Optional.ofNullable(eventStart);
    }

    @Override
    public boolean hasHeader() {
        return header;
    }

    @Override
    public String toString() {
        return "LogFormat[" + name + "]";
    }

    /** Assembles a format; {@link Formats} is the one caller. */
    public static final class Builder {
        private final String name;
        private final Function<List<String>, RecordParser> parsers;
        private String description = "";
        private List<String> sampleLines = List.of();
        private final Map<String, FieldInfo> fields = new LinkedHashMap<>();
        private boolean acceptsAnyField;
        private Function<String, String> anyFieldCheck = name -> null;
        private final Map<String, String> renames = new LinkedHashMap<>();
        private String timestampField;
        private final Map<String, List<String>> timestampPatterns = new LinkedHashMap<>();
        private List<String> anyTimestampPatterns = List.of(Timestamps.ISO8601);
        private Timestamps.Context context = Timestamps.Context.UTC;
        private EventStart eventStart;
        private boolean header;
        private Function<String, List<String>> headerColumns;

        private Builder(String name, Function<List<String>, RecordParser> parsers) {
            this.name = name;
            this.parsers = parsers;
        }

        public String name() {
            return name;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder sampleLines(List<String> lines) {
            this.sampleLines = lines;
            return this;
        }

        public Builder field(String name, FieldType type, String description) {
            fields.put(name, new FieldInfo(name, type, description));
            return this;
        }

        public Builder field(FieldInfo info) {
            fields.put(info.name(), info);
            return this;
        }

        public Map<String, FieldInfo> fields() {
            return fields;
        }

        public Builder acceptsAnyField(boolean any) {
            this.acceptsAnyField = any;
            return this;
        }

        public boolean acceptsAnyField() {
            return acceptsAnyField;
        }

        /** For a format that accepts any field: why a name cannot be one (null when it can). */
        public Builder anyFieldCheck(Function<String, String> check) {
            this.anyFieldCheck = check;
            return this;
        }

        /** Makes {@code alias} another name of {@code source}. */
        public Builder rename(String alias, String source) {
            renames.put(alias, renames.getOrDefault(source, source));
            return this;
        }

        public Builder timestampField(String field) {
            this.timestampField = field;
            return this;
        }

        public String timestampField() {
            return timestampField;
        }

        /** How {@code field} is read, when it is a timestamp (patterns as {@link Timestamps} takes them). */
        public Builder timestampPatterns(String field, List<String> patterns) {
            timestampPatterns.put(field, List.copyOf(patterns));
            return this;
        }

        /** How TIMESTAMP fields without patterns of their own are read (default: ISO8601). */
        public Builder anyTimestampPatterns(List<String> patterns) {
            this.anyTimestampPatterns = List.copyOf(patterns);
            return this;
        }

        /** The zone, year and reference instant that complete timestamps. */
        public Builder timestampContext(Timestamps.Context context) {
            this.context = context;
            return this;
        }

        public Builder eventStart(EventStart start) {
            this.eventStart = start;
            return this;
        }

        public Builder header(boolean header) {
            this.header = header;
            return this;
        }

        /** How a header line names the columns (for the preview). */
        public Builder headerColumns(Function<String, List<String>> columns) {
            this.headerColumns = columns;
            return this;
        }

        public CompiledFormat build() {
            return new CompiledFormat(this);
        }
    }
}
