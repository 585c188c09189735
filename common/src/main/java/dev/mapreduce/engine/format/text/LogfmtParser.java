package dev.mapreduce.engine.format.text;

import dev.mapreduce.engine.format.NameTable;
import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.format.Slots;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * logfmt: {@code key=value} pairs separated by spaces, as Heroku and Go's log/slog write them
 * ({@code time=2026-11-20T08:15:30Z level=INFO msg="GET /cart" status=200 dur=12ms}). A key is a
 * run of bytes other than space, {@code =} and {@code "}; a value is such a run (which may hold
 * {@code =}) or a double-quoted string with backslash escapes ({@code \"}, {@code \\}, {@code \n},
 * {@code \t}, {@code \r}). A key without {@code =} is present with an empty value. When a key
 * repeats, the last one wins. A line needs at least one {@code key=value} pair and valid UTF-8.
 */
public final class LogfmtParser implements RecordParser {

    private final Slots slots;
    private final NameTable names;
    private final int[] slotOfName;
    private final Record record;

    private String reason;

    public LogfmtParser(List<String> fields) {
        slots = new Slots(fields);
        List<String> distinct = new ArrayList<>();
        List<Integer> slotList = new ArrayList<>();
        for (Map.Entry<String, Integer> e : slots.distinct().entrySet()) {
            distinct.add(e.getKey());
            slotList.add(e.getValue());
        }
        names = new NameTable(distinct);
        slotOfName = slotList.stream().mapToInt(Integer::intValue).toArray();
        record = slots.newRecord();
    }

    @Override
    public Record parse(byte[] b, int off, int len) {
        Record r = record;
        r.reset();
        if (len == 0) {
            return fail("empty line");
        }
        if (!Utf8.isValid(b, off, len)) {
            return fail("not valid UTF-8");
        }
        int end = off + len;
        int i = off;
        boolean pairs = false;
        while (true) {
            while (i < end && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i >= end) {
                break;
            }
            int keyStart = i;
            while (i < end && b[i] != ' ' && b[i] != '\t' && b[i] != '=' && b[i] != '"') {
                i++;
            }
            if (i == keyStart) {
                return fail(
                        b[i] == '='
                                ? "a value without a key at byte " + (i - off)
                                : "a quote where a key should be at byte " + (i - off));
            }
            int name = names.find(b, keyStart, i);
            int slot = name < 0 ? -1 : slotOfName[name];
            if (i >= end || b[i] != '=') {
                if (slot >= 0) {
                    r.set(slot, b, i, 0);
                }
                continue;
            }
            pairs = true;
            i++;
            if (i < end && b[i] == '"') {
                int start = ++i;
                boolean escaped = false;
                while (i < end && b[i] != '"') {
                    if (b[i] == '\\') {
                        escaped = true;
                        i++;
                    }
                    i++;
                }
                if (i >= end) {
                    return fail("a quoted value without its closing quote");
                }
                if (slot >= 0) {
                    if (escaped) {
                        unescape(b, start, i, slot, r);
                    } else {
                        r.set(slot, b, start, i - start);
                    }
                }
                i++;
                if (i < end && b[i] != ' ' && b[i] != '\t') {
                    return fail("no space after a quoted value at byte " + (i - off));
                }
            } else {
                int start = i;
                while (i < end && b[i] != ' ' && b[i] != '\t') {
                    if (b[i] == '"') {
                        return fail("a quote inside an unquoted value at byte " + (i - off));
                    }
                    i++;
                }
                if (slot >= 0) {
                    r.set(slot, b, start, i - start);
                }
            }
        }
        if (!pairs) {
            return fail("no key=value pair");
        }
        if (slots.hasDuplicates()) {
            slots.copyDuplicates(r);
        }
        return r;
    }

    private static void unescape(byte[] b, int start, int stop, int slot, Record r) {
        byte[] out = r.scratchFor(stop - start);
        int at = r.scratchUsed();
        int o = at;
        for (int i = start; i < stop; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < stop) {
                byte e = b[++i];
                c = switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> e;
                };
            }
            out[o++] = c;
        }
        r.scratchAdvance(o - at);
        r.set(slot, out, at, o - at);
    }

    private Record fail(String why) {
        reason = why;
        return null;
    }

    @Override
    public String malformedReason() {
        return reason;
    }
}
