package dev.mapreduce.engine.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mapreduce.engine.format.text.LogfmtKeys;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.task.MalformedRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a format makes of some lines, before a job runs on them: each record's fields, or why it is
 * malformed. Lines are read as a job reads them (a header line, multi-line events). Formats that
 * take any field show the fields the lines hold (JSON members as dotted paths, logfmt keys, CSV
 * columns) besides the ones they know.
 */
public final class Preview {

    /** Most records one preview shows. */
    public static final int MAX_RECORDS = 1000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Preview() {}

    /**
     * One record: the number of its first line (from 1) and its text; then its fields (null values
     * are absent fields) and event time (ISO-8601, null when it has none or it does not parse), or
     * the reason it is malformed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(int line, String text, Map<String, String> fields, String time, String error) {}

    /** The preview of some lines: the fields shown, each record, and how many parsed or did not. */
    public record Result(String format, List<FieldInfo> fields, List<Entry> records, int parsed, int malformed) {}

    /** Previews {@code text} (lines ended by {@code \n}, {@code \r\n} or {@code \r}) in {@code format}. */
    public static Result of(LogFormat format, String text) {
        List<String> lines = text.lines().toList();
        List<FieldInfo> fields = fields(format, lines);
        List<String> names = fields.stream().map(FieldInfo::name).toList();
        RecordParser parser = format.newParser(names);
        String timeField = format.timestampField().orElse(null);
        int timeSlot = timeField == null ? -1 : names.indexOf(timeField);
        TimestampParser time = timeSlot < 0 ? null : format.timestampParser(timeField);
        List<Entry> entries = new ArrayList<>();
        int[] counts = new int[2];
        int[] lineNumber = {0};
        LineSource source = handler -> {
            handler.locator(() -> Integer.toString(lineNumber[0]));
            for (String line : lines) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                lineNumber[0]++;
                handler.line(b, 0, b.length);
            }
        };
        try {
            source.forEachRecord(format.eventStart().orElse(null), format.hasHeader(), new LineHandler() {
                private LineHandler.Locator locator;

                @Override
                public void line(byte[] buf, int off, int len) {
                    if (entries.size() >= MAX_RECORDS) {
                        return;
                    }
                    int number = Integer.parseInt(locator.where());
                    String text = new String(buf, off, len, StandardCharsets.UTF_8);
                    Record r = parser.parse(buf, off, len);
                    if (r == null) {
                        counts[1]++;
                        entries.add(new Entry(number, text, null, null, parser.malformedReason()));
                        return;
                    }
                    counts[0]++;
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        values.put(names.get(i), r.string(i));
                    }
                    String at = null;
                    if (time != null && r.present(timeSlot)) {
                        long micros = time.epochMicros(r.array(timeSlot), r.offset(timeSlot), r.length(timeSlot));
                        if (micros != TimestampParser.NOT_A_TIMESTAMP) {
                            at = Instant.ofEpochSecond(
                                            Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L)
                                    .toString();
                        }
                    }
                    entries.add(new Entry(number, text, values, at, null));
                }

                @Override
                public void oversizedLine() {
                    counts[1]++;
                }

                @Override
                public void locator(Locator locator) {
                    this.locator = locator;
                }

                @Override
                public void header(byte[] buf, int off, int len) {
                    parser.header(buf, off, len);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(format.name(), fields, entries, counts[0], counts[1]);
    }

    /** The format's fields, then (for formats that take any field) those the lines hold. */
    static List<FieldInfo> fields(LogFormat format, List<String> lines) {
        List<FieldInfo> fields = new ArrayList<>(format.fields());
        if (!format.acceptsAnyField()) {
            return fields;
        }
        Set<String> seen = new LinkedHashSet<>();
        fields.forEach(f -> seen.add(f.name()));
        Set<String> found = new LinkedHashSet<>();
        if (format.hasHeader() && !lines.isEmpty()) {
            if (format instanceof CompiledFormat compiled) {
                found.addAll(compiled.headerColumns(lines.get(0)));
            }
        } else {
            for (String line : lines.subList(0, Math.min(lines.size(), 200))) {
                String s = line.strip();
                if (s.startsWith("{")) {
                    try {
                        leaves("", JSON.readTree(s), found);
                    } catch (RuntimeException e) {
                        // a line that is not JSON: the preview shows it malformed
                    }
                } else if (format.name().equals("logfmt")) {
                    found.addAll(LogfmtKeys.of(s));
                }
            }
        }
        for (String name : found) {
            if (seen.add(name) && format.field(name).isPresent()) {
                fields.add(format.field(name).get());
            }
        }
        return fields;
    }

    private static void leaves(String prefix, JsonNode node, Set<String> into) {
        if (node.isObject() && (prefix.isEmpty() || !node.isEmpty())) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), into);
            }
        } else if (!prefix.isEmpty()) {
            into.add(prefix);
        }
    }

    /** A one-line description of a malformed entry, as the CLI prints it. */
    public static String describe(Entry e) {
        return "line " + e.line() + ": " + e.error() + ": " + MalformedRecords.oneLine(e.text());
    }
}
