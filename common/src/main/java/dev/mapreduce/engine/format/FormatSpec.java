package dev.mapreduce.engine.format;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The description of a format that a job carries ({@code "format": {...}}), as JSON; {@link
 * Formats#compile} turns it into a {@link LogFormat} or names every problem at once. A plain string
 * is the same as {@code {"type": "<string>"}}. Every member but {@code type} is optional; absent
 * members are left out of the JSON form, so a spec reads back as it was written.
 *
 * <pre>
 * {"type": "apache_combined"}
 * {"type": "json", "fields": {"level": "log.level", "message": "msg"},
 *  "timestamp": {"field": "@timestamp"}}
 * {"type": "regex", "pattern": "^(?P&lt;ip&gt;\\S+) (?P&lt;status&gt;\\d+)$", "types": {"status": "LONG"}}
 * {"type": "grok", "pattern": "%{IP:client} %{WORD:method} %{MYID:id}", "patterns": {"MYID": "[a-f0-9]{8}"}}
 * {"type": "csv", "header": true, "timestamp": {"field": "time", "patterns": ["yyyy-MM-dd HH:mm:ss"], "zone": "Europe/Paris"}}
 * {"type": "log4j", "multiline": {"start": "^\\d{4}-\\d{2}-\\d{2} "}}
 * </pre>
 *
 * @param type a format ({@code default}, {@code json}, {@code logfmt}, {@code regex}, {@code grok},
 *     {@code csv}, {@code tsv}) or a preset ({@code apache_common}, {@code apache_combined}, {@code
 *     apache_error}, {@code syslog_rfc3164}, {@code syslog_rfc5424}, {@code log4j}, {@code
 *     ecs_json}); absent means {@code default}
 * @param pattern regex: an RE2 pattern whose named groups are the fields; grok: the grok expression
 * @param patterns grok: pattern definitions of your own, by name, used as {@code %{NAME}} or
 *     {@code %{NAME:field}}, beside (or replacing) the standard library's
 * @param fields new field names for existing ones: name → source (a JSON member or dotted path,
 *     a group, a column, a logfmt key, or another field of a preset); the source stays a field too
 * @param types a type per field, where the format's own is not right ({@code "status": "LONG"})
 * @param columns csv/tsv: the column names, in order (else the file's header line gives them)
 * @param header csv/tsv: the first line of each file is a header, not a record (default: true
 *     when {@code columns} is absent, false when given)
 * @param delimiter csv: the field delimiter, one character (default {@code ,}; tsv: tab)
 * @param timestamp which field is the event time and how to read it
 * @param multiline how lines join into multi-line events
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FormatSpec(
        String type,
        String pattern,
        Map<String, String> patterns,
        Map<String, String> fields,
        Map<String, FieldType> types,
        List<String> columns,
        Boolean header,
        String delimiter,
        TimestampSpec timestamp,
        MultilineSpec multiline) {

    /** The default format: {@code {"type": "default"}}. */
    public static final FormatSpec DEFAULT = of("default");

    /**
     * The event time: which field, its patterns, tried in order ({@code ISO8601}, {@code UNIX},
     * {@code UNIX_MS}, {@code HTTPDATE}, {@code SYSLOG} or a {@code java.time} pattern such as
     * {@code EEE MMM dd HH:mm:ss yyyy}), the zone of timestamps that have none (a zone id such as
     * {@code Europe/Paris} or an offset such as {@code +02:00}; default UTC), and the year of
     * timestamps that have none (default: see {@link Timestamps}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimestampSpec(String field, List<String> patterns, String zone, Integer year) {}

    /**
     * Multi-line events: a line matching {@code start} (an RE2 pattern, searched anywhere in the
     * line: anchor it with {@code ^}) begins an event; the lines after it that do not match belong
     * to it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MultilineSpec(String start) {}

    /** A spec of just a format or preset name, as in {@code "format": "apache_combined"}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static FormatSpec of(String type) {
        return new FormatSpec(type, null, null, null, null, null, null, null, null, null);
    }

    /** This spec with {@code fields} as its renames. */
    public FormatSpec withFields(Map<String, String> fields) {
        return new FormatSpec(type, pattern, patterns, fields, types, columns, header, delimiter, timestamp, multiline);
    }

    /** This spec with another pattern. */
    public FormatSpec withPattern(String pattern) {
        return new FormatSpec(type, pattern, patterns, fields, types, columns, header, delimiter, timestamp, multiline);
    }

    /** This spec with another timestamp description. */
    public FormatSpec withTimestamp(TimestampSpec timestamp) {
        return new FormatSpec(type, pattern, patterns, fields, types, columns, header, delimiter, timestamp, multiline);
    }

    /** This spec with another multi-line rule. */
    public FormatSpec withMultiline(MultilineSpec multiline) {
        return new FormatSpec(type, pattern, patterns, fields, types, columns, header, delimiter, timestamp, multiline);
    }
}
