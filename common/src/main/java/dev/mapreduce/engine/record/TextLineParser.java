package dev.mapreduce.engine.record;

/**
 * The plain text form {@code <timestamp> <level> [<service>] <host> <traceId> - <message>}:
 * timestamp and level are runs of non-space bytes, each followed by one space; the service is
 * everything between the brackets (no {@code ]}); the message is everything after the first
 * {@code " - "} that follows the closing bracket (what lies between, host and trace id, may be
 * anything, even nothing).
 */
final class TextLineParser {

    boolean parse(byte[] b, int off, int len, LogRecord out) {
        out.reset();
        int end = off + len;
        if (!Utf8.isValid(b, off, len)) {
            return false;
        }
        int tsEnd = token(b, off, end);
        if (tsEnd == off || tsEnd >= end) {
            return false;
        }
        int levelStart = tsEnd + 1;
        int levelEnd = token(b, levelStart, end);
        if (levelEnd == levelStart || levelEnd + 1 >= end || b[levelEnd + 1] != '[') {
            return false;
        }
        int serviceStart = levelEnd + 2;
        int serviceEnd = serviceStart;
        while (serviceEnd < end && b[serviceEnd] != ']') {
            serviceEnd++;
        }
        if (serviceEnd >= end) {
            return false;
        }
        int dash = indexOfDash(b, serviceEnd + 1, end);
        if (dash < 0) {
            return false;
        }
        out.set(LogField.TIMESTAMP.ordinal(), b, off, tsEnd - off);
        out.set(LogField.LEVEL.ordinal(), b, levelStart, levelEnd - levelStart);
        out.set(LogField.SERVICE.ordinal(), b, serviceStart, serviceEnd - serviceStart);
        out.set(LogField.MESSAGE.ordinal(), b, dash + 3, end - dash - 3);
        return true;
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
