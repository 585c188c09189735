package dev.mapreduce.engine.format.preset;

import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.util.List;

/**
 * Java logging layouts of the {@code %d %p [%t] %c - %m} family (log4j, log4j2, logback,
 * Hadoop, Kafka, Zookeeper), one event per start line with the lines after it (a stack trace):
 *
 * <pre>
 * 2026-11-20 08:15:30,123 INFO  [main] com.shop.App - Started in 2.1 s
 * 2026-11-20 08:15:30.123 [http-nio-8080-exec-3] ERROR com.shop.Payments - Payment declined
 * java.lang.IllegalStateException: card expired
 * 	at com.shop.Payments.charge(Payments.java:42)
 * 2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200
 * 2015-10-17 15:37:56,547 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster
 * </pre>
 *
 * The time ({@code yyyy-MM-dd HH:mm:ss,SSS}, {@code T} or {@code .} allowed, a zone allowed), an
 * optional {@code -}, then the level and the {@code [thread]} in either order (the thread may hold
 * brackets), an optional {@code -}, the logger (absent in Zookeeper's layout, whose thread ends with
 * {@code :Class@line}: those are the logger and the line), then {@code " - "} or {@code ": "} and the
 * message. The lines after the first are the {@code stack_trace}; the class of the exception it
 * starts with is {@code exception}.
 */
final class Log4jParser implements RecordParser {

    static final List<String> FIELDS =
            List.of("timestamp", "level", "thread", "logger", "line", "message", "exception", "stack_trace");

    /** The first line of an event starts with a date and a time: {@code yyyy-MM-dd HH:mm}. */
    static final EventStart EVENT_START = new EventStart() {
        @Override
        public boolean startsEvent(byte[] b, int off, int len) {
            return len >= 16
                    && digits(b, off, 4)
                    && b[off + 4] == '-'
                    && digits(b, off + 5, 2)
                    && b[off + 7] == '-'
                    && digits(b, off + 8, 2)
                    && (b[off + 10] == ' ' || b[off + 10] == 'T')
                    && digits(b, off + 11, 2)
                    && b[off + 13] == ':'
                    && digits(b, off + 14, 2);
        }

        @Override
        public String toString() {
            return "a line starting yyyy-MM-dd HH:mm";
        }
    };

    private static final int TIMESTAMP = 0;
    private static final int LEVEL = 1;
    private static final int THREAD = 2;
    private static final int LOGGER = 3;
    private static final int LINE = 4;
    private static final int MESSAGE = 5;
    private static final int EXCEPTION = 6;
    private static final int STACK_TRACE = 7;

    private final FieldSlots out;
    private String reason;
    /** Whether the thread just read was Zookeeper's {@code thread:Class@line}. */
    private boolean zookeeper;

    Log4jParser(List<String> fields) {
        out = new FieldSlots(FIELDS, fields);
    }

    @Override
    public Record parse(byte[] b, int off, int len) {
        out.record.reset();
        if (len == 0) {
            return fail("empty line");
        }
        if (!Utf8.isValid(b, off, len)) {
            return fail("not valid UTF-8");
        }
        int all = off + len;
        int end = off;
        while (end < all && b[end] != '\n') {
            end++;
        }
        if (end < all) {
            stackTrace(b, end + 1, all);
        }
        if (end > off && b[end - 1] == '\r') {
            end--;
        }
        if (!EVENT_START.startsEvent(b, off, end - off)) {
            return fail("no 'yyyy-MM-dd HH:mm' time at the start");
        }
        int i = off + 16;
        while (i < end && b[i] != ' ') {
            i++; // seconds, fraction, zone
        }
        out.set(TIMESTAMP, b, off, i - off);
        i = skipSpaces(b, i, end);
        i = skipDash(b, i, end);
        boolean level = false;
        boolean thread = false;
        zookeeper = false;
        for (int part = 0; part < 2 && i < end; part++) {
            if (b[i] == '[' && !thread) {
                int close = closingBracket(b, i, end);
                if (close < 0) {
                    return fail("no ] after the thread");
                }
                thread(b, i + 1, close);
                thread = true;
                i = skipSpaces(b, close + 1, end);
            } else if (!level && isLevelStart(b[i])) {
                int start = i;
                while (i < end && b[i] >= 'A' && b[i] <= 'Z') {
                    i++;
                }
                if (i == start || (i < end && b[i] != ' ')) {
                    return fail("no level after the time");
                }
                out.set(LEVEL, b, start, i - start);
                level = true;
                i = skipSpaces(b, i, end);
            } else {
                break;
            }
        }
        if (!level) {
            return fail("no level (an upper-case word) after the time");
        }
        i = skipDash(b, i, end);
        if (!zookeeper) {
            i = logger(b, i, end);
        }
        out.set(MESSAGE, b, i, end - i);
        return out.done();
    }

    /**
     * A logger at {@code i}: a run of non-space bytes followed by {@code " - "}, or ending with a
     * colon (Hadoop's {@code %c: %m}); returns where the message starts (at {@code i} when there is
     * no logger).
     */
    private int logger(byte[] b, int i, int end) {
        int start = i;
        while (i < end && b[i] != ' ') {
            i++;
        }
        if (i == start) {
            return start;
        }
        if (b[i - 1] == ':' && i - 1 > start) {
            out.set(LOGGER, b, start, i - 1 - start);
            return i < end ? i + 1 : i;
        }
        if (i + 2 < end && b[i + 1] == '-' && b[i + 2] == ' ') {
            out.set(LOGGER, b, start, i - start);
            return i + 3;
        }
        if (i + 2 == end && b[i + 1] == '-') {
            out.set(LOGGER, b, start, i - start);
            return end;
        }
        return start;
    }

    /** The thread {@code b[start, stop)}; Zookeeper's {@code thread:Class@line} also gives the logger and line. */
    private void thread(byte[] b, int start, int stop) {
        zookeeper = false;
        int at = stop - 1;
        while (at > start && b[at] >= '0' && b[at] <= '9') {
            at--;
        }
        if (at < stop - 1 && at > start && b[at] == '@') {
            int colon = at - 1;
            while (colon > start && b[colon] != ':') {
                colon--;
            }
            if (b[colon] == ':' && colon + 1 < at && isJavaName(b, colon + 1, at)) {
                out.set(THREAD, b, start, colon - start);
                out.set(LOGGER, b, colon + 1, at - colon - 1);
                out.set(LINE, b, at + 1, stop - at - 1);
                zookeeper = true;
                return;
            }
        }
        out.set(THREAD, b, start, stop - start);
    }

    /** The lines after the first: the stack trace, and the class of the exception its first line names. */
    private void stackTrace(byte[] b, int start, int all) {
        int stop = all;
        while (stop > start && (b[stop - 1] == '\n' || b[stop - 1] == '\r')) {
            stop--;
        }
        if (stop == start) {
            return;
        }
        out.set(STACK_TRACE, b, start, stop - start);
        int i = start;
        while (i < stop && b[i] != ':' && b[i] != '\n' && b[i] != '\r' && b[i] != ' ') {
            i++;
        }
        if (i > start && (i == stop || b[i] != ' ') && isJavaName(b, start, i) && indexOf(b, '.', start, i) > 0) {
            out.set(EXCEPTION, b, start, i - start);
        }
    }

    /** Whether {@code b[start, stop)} is a Java (qualified) class name. */
    private static boolean isJavaName(byte[] b, int start, int stop) {
        boolean segmentStart = true;
        for (int k = start; k < stop; k++) {
            byte c = b[k];
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
            if (c == '.') {
                if (segmentStart) {
                    return false;
                }
                segmentStart = true;
            } else if (letter || (!segmentStart && c >= '0' && c <= '9')) {
                segmentStart = false;
            } else {
                return false;
            }
        }
        return !segmentStart;
    }

    /** The {@code ]} that closes the {@code [} at {@code i}, counting nested brackets; -1 if none. */
    private static int closingBracket(byte[] b, int i, int end) {
        int depth = 0;
        for (int k = i; k < end; k++) {
            if (b[k] == '[') {
                depth++;
            } else if (b[k] == ']' && --depth == 0) {
                return k;
            }
        }
        return -1;
    }

    private static int skipSpaces(byte[] b, int i, int end) {
        while (i < end && b[i] == ' ') {
            i++;
        }
        return i;
    }

    /** Skips {@code "- "} (a separator of some layouts). */
    private static int skipDash(byte[] b, int i, int end) {
        if (i + 1 < end && b[i] == '-' && b[i + 1] == ' ') {
            return skipSpaces(b, i + 2, end);
        }
        return i;
    }

    private static boolean isLevelStart(byte c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean digits(byte[] b, int i, int n) {
        for (int k = i; k < i + n; k++) {
            if (b[k] < '0' || b[k] > '9') {
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

    private Record fail(String why) {
        reason = why;
        return null;
    }

    @Override
    public String malformedReason() {
        return reason;
    }
}
