package dev.mapreduce.engine.format.preset;

import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.util.List;

/**
 * Apache's error log, 2.2 and 2.4 forms:
 *
 * <pre>
 * [Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home
 * [Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:34233] AH00128: File does not exist: /usr/local/apache2/htdocs/favicon.ico
 * </pre>
 *
 * The time, then {@code [module:level]} or {@code [level]}, then optional {@code [pid N]} or
 * {@code [pid N:tid M]} and {@code [client ADDRESS[:PORT]]}, then the message; an error code
 * ({@code AH00128:}) at its start is the field {@code code} and the message is what follows it.
 */
final class ApacheErrorParser implements RecordParser {

    static final List<String> FIELDS =
            List.of("timestamp", "module", "level", "pid", "tid", "client", "client_port", "code", "message");

    private static final int TIMESTAMP = 0;
    private static final int MODULE = 1;
    private static final int LEVEL = 2;
    private static final int PID = 3;
    private static final int TID = 4;
    private static final int CLIENT = 5;
    private static final int CLIENT_PORT = 6;
    private static final int CODE = 7;
    private static final int MESSAGE = 8;

    private final FieldSlots out;
    private String reason;

    ApacheErrorParser(List<String> fields) {
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
        if (b[off] != '[') {
            return fail("no [time] at the start");
        }
        int close = indexOf(b, ']', off + 1, end);
        if (close < 0) {
            return fail("no ] after the time");
        }
        out.set(TIMESTAMP, b, off + 1, close - off - 1);
        int i = close + 1;
        if (i + 1 >= end || b[i] != ' ' || b[i + 1] != '[') {
            return fail("no [level] after the time");
        }
        int levelStart = i + 2;
        close = indexOf(b, ']', levelStart, end);
        if (close < 0 || close == levelStart) {
            return fail("no [level] after the time");
        }
        int colon = indexOf(b, ':', levelStart, close);
        if (colon >= 0) {
            if (colon > levelStart) {
                out.set(MODULE, b, levelStart, colon - levelStart);
            }
            out.set(LEVEL, b, colon + 1, close - colon - 1);
        } else {
            out.set(LEVEL, b, levelStart, close - levelStart);
        }
        i = close + 1;
        if (startsWith(b, i, end, " [pid ")) {
            int start = i + 6;
            close = indexOf(b, ']', start, end);
            if (close < 0) {
                return fail("no ] after the pid");
            }
            int tid = indexOf(b, ':', start, close);
            int pidEnd = tid < 0 ? close : tid;
            if (!digits(b, start, pidEnd)) {
                return fail("the pid is not a number");
            }
            out.set(PID, b, start, pidEnd - start);
            if (tid >= 0) {
                if (!startsWith(b, tid, close, ":tid ") || !digits(b, tid + 5, close)) {
                    return fail("the tid is not a number");
                }
                out.set(TID, b, tid + 5, close - tid - 5);
            }
            i = close + 1;
        }
        if (startsWith(b, i, end, " [client ")) {
            int start = i + 9;
            close = indexOf(b, ']', start, end);
            if (close < 0) {
                return fail("no ] after the client");
            }
            int port = lastIndexOf(b, ':', start, close);
            // an IPv6 address has colons of its own: only digits after the last one make a port
            if (port > start && digits(b, port + 1, close) && (indexOf(b, ':', start, port) < 0 || b[start] == '[')) {
                out.set(CLIENT, b, start, port - start);
                out.set(CLIENT_PORT, b, port + 1, close - port - 1);
            } else {
                out.set(CLIENT, b, start, close - start);
            }
            i = close + 1;
        }
        if (i < end) {
            if (b[i] != ' ') {
                return fail("no space before the message");
            }
            i++;
        }
        int code = codeEnd(b, i, end);
        if (code > 0) {
            out.set(CODE, b, i, code - i);
            i = Math.min(code + 2, end);
        }
        out.set(MESSAGE, b, i, end - i);
        return out.done();
    }

    /** End of an {@code AH01234} code followed by {@code ": "}, or -1. */
    private static int codeEnd(byte[] b, int i, int end) {
        if (i + 8 <= end && b[i] == 'A' && b[i + 1] == 'H' && digits(b, i + 2, i + 7) && b[i + 7] == ':') {
            return i + 7;
        }
        return -1;
    }

    private static boolean digits(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int i, int end, String ascii) {
        if (i + ascii.length() > end) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            if (b[i + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == c) {
                return k;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, char c, int from, int to) {
        for (int k = to - 1; k >= from; k--) {
            if (b[k] == c) {
                return k;
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
