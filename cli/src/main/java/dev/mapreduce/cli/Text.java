package dev.mapreduce.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** How values from the gateway are shown: never raw control characters, numbers exact, times short. */
final class Text {

    /** Job names, errors and keys come from other people; an escape sequence must not reach the terminal. */
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Text() {}

    static String clean(String s) {
        return s == null ? null : CONTROL.matcher(s).replaceAll("?");
    }

    static List<String> clean(List<String> lines) {
        return lines.stream().map(Text::clean).toList();
    }

    /** A string field, or null when it is missing or null. */
    static String field(JsonNode node, String name) {
        JsonNode value = node.path(name);
        return value.isMissingNode() || value.isNull() ? null : clean(value.asString());
    }

    /** A number exactly as the gateway sent it (big integers and decimals included), grouped by thousands. */
    static String number(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return String.format(Locale.ROOT, "%,d", value.bigIntegerValue());
        }
        if (value.isNumber()) {
            return value.decimalValue().toPlainString();
        }
        return clean(value.asString());
    }

    /** A number as the gateway sent it, without grouping: for results, where the exact digits matter. */
    static String exact(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return value.decimalValue().toPlainString();
        }
        return clean(value.asString());
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Seconds with millisecond precision below a minute, then h:mm:ss. */
    static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
        }
        return clock(d);
    }

    /** The progress bar's clock: m:ss, or h:mm:ss. */
    static String clock(Duration d) {
        long seconds = d.toSeconds();
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** A duration field in milliseconds, shown as {@link #duration}, or null. */
    static String durationMs(JsonNode node, String name) {
        JsonNode value = node.path(name);
        return value.isNumber() ? duration(Duration.ofMillis(value.asLong())) : null;
    }

    /** An instant to the second ({@code 2026-11-20T10:15:30Z}); anything unparseable as it came. */
    static String instant(JsonNode node, String name) {
        String value = field(node, name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    /** A 0-100 percentage, rounded down so that 99.6 is not shown as done. */
    static int percent(JsonNode node, String name) {
        return (int) Math.floor(Math.max(0, Math.min(100, node.path(name).asDouble(0))));
    }
}
