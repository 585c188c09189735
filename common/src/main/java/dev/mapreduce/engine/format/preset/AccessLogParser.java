package dev.mapreduce.engine.format.preset;

import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.util.List;

/**
 * Apache's common and combined log formats, which are also nginx's default ({@code $remote_addr -
 * $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent"}):
 *
 * <pre>
 * 203.0.113.9 - alice [10/Oct/2026:13:55:36 -0700] "GET /cart?id=7 HTTP/1.1" 200 2326 "https://shop.example/" "Mozilla/5.0"
 * </pre>
 *
 * Client, ident and user are runs of non-space bytes; the time is in brackets; request, referrer and
 * user agent are in double quotes, where a backslash escapes the next byte (Apache writes {@code \"},
 * nginx {@code \x22}); status and bytes are numbers or {@code -} (absent). The request line splits
 * into method, path and protocol when it has that shape ({@code "-"} or a probe's junk leaves them
 * absent). Anything after the last field (more fields a server was told to log) is in {@code rest}.
 */
final class AccessLogParser implements RecordParser {

    static final List<String> COMMON = List.of(
            "client", "ident", "user", "timestamp", "request", "method", "path", "protocol", "status", "bytes", "rest");
    static final List<String> COMBINED = List.of(
            "client",
            "ident",
            "user",
            "timestamp",
            "request",
            "method",
            "path",
            "protocol",
            "status",
            "bytes",
            "rest",
            "referrer",
            "user_agent");

    private static final int CLIENT = 0;
    private static final int IDENT = 1;
    private static final int USER = 2;
    private static final int TIMESTAMP = 3;
    private static final int REQUEST = 4;
    private static final int METHOD = 5;
    private static final int PATH = 6;
    private static final int PROTOCOL = 7;
    private static final int STATUS = 8;
    private static final int BYTES = 9;
    private static final int REST = 10;
    private static final int REFERRER = 11;
    private static final int USER_AGENT = 12;

    private final boolean combined;
    private final FieldSlots out;

    private byte[] b;
    private int end;
    private String reason;

    AccessLogParser(boolean combined, List<String> fields) {
        this.combined = combined;
        this.out = new FieldSlots(combined ? COMBINED : COMMON, fields);
    }

    @Override
    public Record parse(byte[] line, int off, int len) {
        out.record.reset();
        b = line;
        end = off + len;
        if (len == 0) {
            return fail("empty line");
        }
        if (!Utf8.isValid(line, off, len)) {
            return fail("not valid UTF-8");
        }
        int i = token(off, CLIENT, "no client address");
        if (i < 0 || (i = token(i, IDENT, "no ident")) < 0 || (i = token(i, USER, "no user")) < 0) {
            return null;
        }
        if (i >= end || b[i] != '[') {
            return fail("no [time] after the user");
        }
        int close = indexOf(']', i + 1);
        if (close < 0) {
            return fail("no ] after the time");
        }
        out.set(TIMESTAMP, b, i + 1, close - i - 1);
        i = close + 1;
        if (!space(i)) {
            return fail("no space after the time");
        }
        i = quoted(i + 1, REQUEST, "the request line");
        if (i < 0) {
            return null;
        }
        if (!space(i)) {
            return fail("no space after the request line");
        }
        i = number(i + 1, STATUS, "the status");
        if (i < 0 || !space(i)) {
            return i < 0 ? null : fail("no space after the status");
        }
        i = number(i + 1, BYTES, "the size");
        if (i < 0) {
            return null;
        }
        if (combined) {
            if (!space(i)) {
                return fail("no referrer after the size");
            }
            i = quoted(i + 1, REFERRER, "the referrer");
            if (i < 0) {
                return null;
            }
            if (!space(i)) {
                return fail("no user agent after the referrer");
            }
            i = quoted(i + 1, USER_AGENT, "the user agent");
            if (i < 0) {
                return null;
            }
        }
        if (i < end) {
            if (b[i] != ' ') {
                return fail("unexpected '" + (char) (b[i] & 0xFF) + "' after the last field");
            }
            out.set(REST, b, i + 1, end - i - 1);
        }
        return out.done();
    }

    /** A run of non-space bytes at {@code i} followed by a space; returns the index after the space, or -1. */
    private int token(int i, int field, String missing) {
        int start = i;
        while (i < end && b[i] != ' ') {
            i++;
        }
        if (i == start || i >= end) {
            reason = missing;
            return -1;
        }
        out.set(field, b, start, i - start);
        return i + 1;
    }

    /** Digits or {@code -} at {@code i}; returns the index after them, or -1. */
    private int number(int i, int field, String what) {
        if (i < end && b[i] == '-' && (i + 1 == end || b[i + 1] == ' ')) {
            return i + 1;
        }
        int start = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == start || (i < end && b[i] != ' ')) {
            reason = what + " is not a number";
            return -1;
        }
        out.set(field, b, start, i - start);
        return i;
    }

    /** A double-quoted value at {@code i}; returns the index after its closing quote, or -1. */
    private int quoted(int i, int field, String what) {
        if (i >= end || b[i] != '"') {
            reason = "no quote before " + what;
            return -1;
        }
        int start = i + 1;
        int j = start;
        while (j < end && b[j] != '"') {
            j += b[j] == '\\' ? 2 : 1;
        }
        if (j >= end) {
            reason = "no closing quote after " + what;
            return -1;
        }
        out.set(field, b, start, j - start);
        if (field == REQUEST) {
            splitRequest(start, j);
        }
        return j + 1;
    }

    /** {@code METHOD PATH PROTOCOL} or {@code METHOD PATH}: an upper-case method, then a path without spaces. */
    private void splitRequest(int start, int stop) {
        int m = start;
        while (m < stop && b[m] >= 'A' && b[m] <= 'Z') {
            m++;
        }
        if (m == start || m >= stop || b[m] != ' ') {
            return;
        }
        int p = m + 1;
        int pathEnd = p;
        while (pathEnd < stop && b[pathEnd] != ' ') {
            pathEnd++;
        }
        if (pathEnd == p) {
            return;
        }
        if (pathEnd < stop) {
            int proto = pathEnd + 1;
            for (int k = proto; k < stop; k++) {
                if (b[k] == ' ') {
                    return; // more than three parts: not a request line
                }
            }
            if (proto == stop) {
                return;
            }
            out.set(PROTOCOL, b, proto, stop - proto);
        }
        out.set(METHOD, b, start, m - start);
        out.set(PATH, b, p, pathEnd - p);
    }

    private boolean space(int i) {
        return i < end && b[i] == ' ';
    }

    private int indexOf(char c, int i) {
        for (; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
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
