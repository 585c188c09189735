package dev.mapreduce.engine.format.json;

import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.format.Slots;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.util.List;

/**
 * The default format: a line whose first non-blank byte is <code>{</code> is a JSON object, any
 * other line the text form {@code <timestamp> <level> [<service>] <host> <traceId> - <message>}.
 * A line is a valid record when it is valid UTF-8 and its {@code timestamp}, {@code level},
 * {@code service} and {@code message} are strings; anything else (empty, invalid UTF-8,
 * unparseable, one of the four missing or not a string) is malformed. An unknown level is still
 * valid. Other members of a JSON line are fields too (by name or dotted path); the text form has
 * only the four.
 *
 * <p>Text form: timestamp and level are runs of non-space bytes, each followed by one space; the
 * service is everything between the brackets (no {@code ]}); the message is everything after the
 * first {@code " - "} that follows the closing bracket (what lies between, host and trace id, may
 * be anything, even nothing).
 */
public final class DefaultParser implements RecordParser {

    /** The four fields, in the order of {@link #required}. */
    public static final List<String> FIELDS = List.of("timestamp", "level", "service", "message");

    private final JsonScanner json;
    private final Slots slots;
    private final Record record;
    /** The slots of the four fields, asked for or hidden. */
    private final int[] required = new int[4];

    private String reason;

    public DefaultParser(List<String> fields) {
        slots = new Slots(fields);
        PathTree tree = new PathTree();
        for (int f = 0; f < 4; f++) {
            required[f] = slots.slotOrHidden(FIELDS.get(f));
            tree.add(FIELDS.get(f), required[f], true);
        }
        for (var e : List.copyOf(slots.distinct().entrySet())) {
            if (!FIELDS.contains(e.getKey())) {
                tree.add(e.getKey(), e.getValue(), false);
            }
        }
        json = new JsonScanner(tree);
        record = slots.newRecord();
    }

    @Override
    public Record parse(byte[] line, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')) {
            i++;
        }
        Record r = record;
        r.reset();
        if (i == end) {
            reason = len == 0 ? "empty line" : "blank line";
            return null;
        }
        if (line[i] == '{') {
            if (!json.scan(line, off, len, r)) {
                reason = json.reason();
                return null;
            }
            for (int f = 0; f < 4; f++) {
                if (!r.present(required[f])) {
                    reason = "'" + FIELDS.get(f) + "' is missing or not a string";
                    return null;
                }
            }
        } else if (!text(line, off, len, r)) {
            return null;
        }
        if (slots.hasDuplicates()) {
            slots.copyDuplicates(r);
        }
        return r;
    }

    @Override
    public String malformedReason() {
        return reason;
    }

    private boolean text(byte[] b, int off, int len, Record out) {
        int end = off + len;
        if (!Utf8.isValid(b, off, len)) {
            reason = "not valid UTF-8";
            return false;
        }
        int tsEnd = token(b, off, end);
        if (tsEnd == off || tsEnd >= end) {
            return textFail();
        }
        int levelStart = tsEnd + 1;
        int levelEnd = token(b, levelStart, end);
        if (levelEnd == levelStart || levelEnd + 1 >= end || b[levelEnd + 1] != '[') {
            return textFail();
        }
        int serviceStart = levelEnd + 2;
        int serviceEnd = serviceStart;
        while (serviceEnd < end && b[serviceEnd] != ']') {
            serviceEnd++;
        }
        if (serviceEnd >= end) {
            return textFail();
        }
        int dash = indexOfDash(b, serviceEnd + 1, end);
        if (dash < 0) {
            return textFail();
        }
        out.set(required[0], b, off, tsEnd - off);
        out.set(required[1], b, levelStart, levelEnd - levelStart);
        out.set(required[2], b, serviceStart, serviceEnd - serviceStart);
        out.set(required[3], b, dash + 3, end - dash - 3);
        return true;
    }

    private boolean textFail() {
        reason = "neither a JSON object nor '<timestamp> <level> [<service>] ... - <message>'";
        return false;
    }

    /** End of the run of non-space bytes starting at {@code i}; it is followed by a space or the end. */
    private static int token(byte[] b, int i, int end) {
        while (i < end && b[i] != ' ') {
            i++;
        }
        return i;
    }

    /** Index of the first {@code " - "} at or after {@code i}, or -1. */
    private static int indexOfDash(byte[] b, int i, int end) {
        for (; i + 3 <= end; i++) {
            if (b[i] == ' ' && b[i + 1] == '-' && b[i + 2] == ' ') {
                return i;
            }
        }
        return -1;
    }
}
