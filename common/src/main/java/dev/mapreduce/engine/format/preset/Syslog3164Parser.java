package dev.mapreduce.engine.format.preset;

import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.util.List;

/**
 * BSD syslog (RFC 3164), as sent on the wire or as rsyslog and syslog-ng write files:
 *
 * <pre>
 * &lt;34&gt;Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8
 * Oct  1 06:25:01 web-3 CRON[4121]: (root) CMD (run-parts /etc/cron.hourly)
 * 2026-11-20T08:15:30.123456+01:00 web-3 kernel: eth0: link up
 * </pre>
 *
 * An optional {@code <PRI>}, the time ({@code Mmm dd hh:mm:ss} with the day padded by a space, or
 * an ISO-8601 stamp as rsyslog's high-precision template writes), the host, then the tag ({@code
 * program[pid]:} or {@code program:}) when there is one, then the message. Without a PRI the
 * facility, severity and level are absent.
 */
final class Syslog3164Parser implements RecordParser {

    static final List<String> FIELDS =
            List.of("priority", "facility", "severity", "level", "timestamp", "host", "program", "pid", "message");

    private static final int PRIORITY = 0;
    private static final int FACILITY = 1;
    private static final int SEVERITY = 2;
    private static final int LEVEL = 3;
    private static final int TIMESTAMP = 4;
    private static final int HOST = 5;
    private static final int PROGRAM = 6;
    private static final int PID = 7;
    private static final int MESSAGE = 8;

    private final FieldSlots out;
    private String reason;

    Syslog3164Parser(List<String> fields) {
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
        int i = off;
        if (b[i] == '<') {
            int pri = Syslog.priority(b, i, end);
            if (pri < 0) {
                return fail("a bad <PRI> (0 to 191)");
            }
            byte[] p = Syslog.NUMBERS[pri];
            out.set(PRIORITY, p, 0, p.length);
            byte[] f = Syslog.NUMBERS[pri >> 3];
            out.set(FACILITY, f, 0, f.length);
            byte[] s = Syslog.NUMBERS[pri & 7];
            out.set(SEVERITY, s, 0, s.length);
            byte[] level = Syslog.SEVERITIES[pri & 7];
            out.set(LEVEL, level, 0, level.length);
            i += Syslog.priorityLength(pri);
        }
        int stampEnd;
        if (i + 15 <= end
                && isMonth(b, i)
                && b[i + 3] == ' '
                && b[i + 6] == ' '
                && b[i + 9] == ':'
                && b[i + 12] == ':') {
            stampEnd = i + 15;
        } else if (i + 19 <= end && b[i] >= '0' && b[i] <= '9' && b[i + 4] == '-' && b[i + 10] == 'T') {
            stampEnd = i;
            while (stampEnd < end && b[stampEnd] != ' ') {
                stampEnd++;
            }
        } else {
            return fail("no 'Mmm dd hh:mm:ss' or ISO-8601 time after the priority");
        }
        out.set(TIMESTAMP, b, i, stampEnd - i);
        i = stampEnd;
        if (i >= end || b[i] != ' ') {
            return fail("no host after the time");
        }
        int hostStart = ++i;
        while (i < end && b[i] != ' ') {
            i++;
        }
        if (i == hostStart) {
            return fail("no host after the time");
        }
        out.set(HOST, b, hostStart, i - hostStart);
        if (i < end) {
            i++; // the space after the host
        }
        int tagEnd = tag(b, i, end);
        if (tagEnd > 0) {
            i = tagEnd;
            if (i < end && b[i] == ' ') {
                i++;
            }
        }
        out.set(MESSAGE, b, i, end - i);
        return out.done();
    }

    /**
     * Reads a tag {@code program:} or {@code program[pid]:} at {@code i}; returns the index after
     * its colon, or -1 (then there is no tag and the message starts at {@code i}).
     */
    private int tag(byte[] b, int i, int end) {
        int start = i;
        while (i < end && b[i] != ':' && b[i] != '[' && b[i] != ' ') {
            i++;
        }
        if (i == start || i >= end || b[i] == ' ') {
            return -1;
        }
        int programEnd = i;
        int pidStart = -1;
        int pidEnd = -1;
        if (b[i] == '[') {
            pidStart = i + 1;
            pidEnd = pidStart;
            while (pidEnd < end && b[pidEnd] >= '0' && b[pidEnd] <= '9') {
                pidEnd++;
            }
            if (pidEnd == pidStart || pidEnd + 1 >= end || b[pidEnd] != ']' || b[pidEnd + 1] != ':') {
                return -1;
            }
            i = pidEnd + 1;
        }
        out.set(PROGRAM, b, start, programEnd - start);
        if (pidStart >= 0) {
            out.set(PID, b, pidStart, pidEnd - pidStart);
        }
        return i + 1;
    }

    private static boolean isMonth(byte[] b, int i) {
        return (b[i] >= 'A' && b[i] <= 'Z')
                && (b[i + 1] >= 'a' && b[i + 1] <= 'z')
                && (b[i + 2] >= 'a' && b[i + 2] <= 'z');
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
