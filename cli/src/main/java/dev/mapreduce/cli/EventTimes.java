package dev.mapreduce.cli;

import dev.mapreduce.engine.format.FormatException;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.format.TimestampParser;
import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.record.Record;
import java.util.List;

/**
 * The event time of each line {@code mr ingest --format} sends, in Kafka's milliseconds, read from
 * the format's timestamp field; lines without one (malformed, no such field, a time that does not
 * parse, or before 1970) are counted, and the first is described.
 */
final class EventTimes {

    private final LogFormat format;
    private final String field;
    private final RecordParser parser;
    private final TimestampParser time;
    private long without;
    private String firstWithout;

    private EventTimes(LogFormat format, String field) {
        this.format = format;
        this.field = field;
        this.parser = format.newParser(List.of(field));
        this.time = format.timestampParser(field);
    }

    /**
     * @throws FormatException if the spec does not compile or the format has no event time
     */
    static EventTimes of(FormatSpec spec) {
        LogFormat format = Formats.compile(spec);
        String field = format.timestampField()
                .orElseThrow(() -> new FormatException(
                        "timestamp",
                        "format " + format.name() + " has no event time: name its field with"
                                + " {\"timestamp\": {\"field\": \"...\"}}"));
        return new EventTimes(format, field);
    }

    /** The line's event time in epoch milliseconds, or null (counted) when it has none. */
    Long millis(byte[] b, int off, int len, LineHandler.Locator where) {
        Record r = parser.parse(b, off, len);
        String why;
        if (r == null) {
            why = "malformed: " + parser.malformedReason();
        } else if (!r.present(0)) {
            why = "no " + field;
        } else {
            long micros = time.epochMicros(r.array(0), r.offset(0), r.length(0));
            if (micros != TimestampParser.NOT_A_TIMESTAMP && micros >= 0) {
                return Math.floorDiv(micros, 1000);
            }
            why = "'" + r.string(0) + "' is not a time " + format.name() + " reads";
        }
        without++;
        if (firstWithout == null) {
            firstWithout = (where == null ? "" : where.where() + ": ") + why;
        }
        return null;
    }

    /** A file's header line, for formats that take their columns from it. */
    void header(byte[] b, int off, int len) {
        parser.header(b, off, len);
    }

    EventStart eventStart() {
        return format.eventStart().orElse(null);
    }

    boolean events() {
        return format.eventStart().isPresent();
    }

    boolean header() {
        return format.hasHeader();
    }

    String field() {
        return field;
    }

    String format() {
        return format.name();
    }

    long without() {
        return without;
    }

    String firstWithout() {
        return firstWithout;
    }
}
