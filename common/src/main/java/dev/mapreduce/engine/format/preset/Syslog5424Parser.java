package dev.mapreduce.engine.format.preset;

import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.util.List;

/**
 * Syslog as RFC 5424 defines it:
 *
 * <pre>
 * &lt;165&gt;1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event
 * </pre>
 *
 * {@code <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]}, single
 * spaces between; {@code -} (the nil value) makes a field absent. Structured data is {@code -} or
 * one or more {@code [id name="value" ...]} elements, where {@code \"}, {@code \\} and {@code \]}
 * are escapes; it is kept as written in {@code structured_data}. A message starting with the UTF-8
 * byte order mark has it removed.
 */
final class Syslog5424Parser implements RecordParser {

    static final List<String> FIELDS = List.of(
            "priority",
            "facility",
            "severity",
            "level",
            "version",
            "timestamp",
            "host",
            "app",
            "procid",
            "msgid",
            "structured_data",
            "message");

    private static final int PRIORITY = 0;
    private static final int FACILITY = 1;
    private static final int SEVERITY = 2;
    private static final int LEVEL = 3;
    private static final int VERSION = 4;
    private static final int TIMESTAMP = 5;
    private static final int HOST = 6;
    private static final int APP = 7;
    private static final int PROCID = 8;
    private static final int MSGID = 9;
    private static final int STRUCTURED_DATA = 10;
    private static final int MESSAGE = 11;

    private static final String[] HEADER_NAMES = {"time", "host", "app name", "process id", "message id"};
    private static final int[] HEADER_FIELDS = {TIMESTAMP, HOST, APP, PROCID, MSGID};

    private final FieldSlots out;
    private String reason;

    Syslog5424Parser(List<String> fields) {
        out = new FieldSlots(FIELDS, fields);
    }

    @Override
    public Record parse(byte[] b, int off, int len) {
        out.record.reset();
        int end = off + len;
        if (len == 0) {
            return fail("empty line");
        }
        if (!Utf8.isValid(b, off, len)) {
            return fail("not valid UTF-8");
        }
        int pri = Syslog.priority(b, off, end);
        if (pri < 0) {
            return fail("no <PRI> (0 to 191) at the start");
        }
        byte[] p = Syslog.NUMBERS[pri];
        out.set(PRIORITY, p, 0, p.length);
        byte[] f = Syslog.NUMBERS[pri >> 3];
        out.set(FACILITY, f, 0, f.length);
        byte[] s = Syslog.NUMBERS[pri & 7];
        out.set(SEVERITY, s, 0, s.length);
        byte[] level = Syslog.SEVERITIES[pri & 7];
        out.set(LEVEL, level, 0, level.length);
        int i = off + Syslog.priorityLength(pri);
        int v = i;
        while (i < end && b[i] >= '0' && b[i] <= '9' && i - v < 2) {
            i++;
        }
        if (i == v || b[v] == '0' || i >= end || b[i] != ' ') {
            return fail("no version (1 to 99) after the <PRI>");
        }
        out.set(VERSION, b, v, i - v);
        for (int h = 0; h < HEADER_FIELDS.length; h++) {
            int start = ++i;
            while (i < end && b[i] != ' ') {
                i++;
            }
            if (i == start || i >= end) {
                return fail("no " + HEADER_NAMES[h] + " (or -)"
                        + (h == HEADER_FIELDS.length - 1 ? " and structured data" : ""));
            }
            if (!(i - start == 1 && b[start] == '-')) {
                out.set(HEADER_FIELDS[h], b, start, i - start);
            }
        }
        int sd = ++i;
        if (sd >= end) {
            return fail("no structured data (or -)");
        }
        if (b[sd] == '-') {
            i = sd + 1;
        } else {
            i = structuredData(b, sd, end);
            if (i < 0) {
                return null;
            }
            out.set(STRUCTURED_DATA, b, sd, i - sd);
        }
        if (i < end) {
            if (b[i] != ' ') {
                return fail("no space between the structured data and the message");
            }
            i++;
            if (i + 3 <= end && b[i] == (byte) 0xEF && b[i + 1] == (byte) 0xBB && b[i + 2] == (byte) 0xBF) {
                i += 3;
            }
            out.set(MESSAGE, b, i, end - i);
        }
        return out.done();
    }

    /** One or more {@code [id param="value" ...]} at {@code i}; returns the index after the last, or -1. */
    private int structuredData(byte[] b, int i, int end) {
        if (b[i] != '[') {
            reason = "structured data must be - or [id ...]";
            return -1;
        }
        while (i < end && b[i] == '[') {
            i++;
            boolean inValue = false;
            while (true) {
                if (i >= end) {
                    reason = "a structured data element without its closing ]";
                    return -1;
                }
                byte c = b[i];
                if (inValue) {
                    if (c == '\\' && i + 1 < end) {
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        inValue = false;
                    }
                } else if (c == '"') {
                    inValue = true;
                } else if (c == ']') {
                    i++;
                    break;
                }
                i++;
            }
        }
        return i;
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
