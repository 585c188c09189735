package dev.mapreduce.engine.record;

/**
 * Parses log lines in either input form: a line whose first non-blank byte is <code>{</code> is
 * JSON, any other line is the plain text form. A line is a valid record when it is valid UTF-8
 * and its {@code timestamp}, {@code level}, {@code service} and {@code message} are strings;
 * anything else (empty, invalid UTF-8, unparseable, a field missing or not a string) is
 * malformed. An unknown level is still valid. One parser per thread: it is stateful.
 */
public final class LogRecordParser {

    private final JsonLineParser json = new JsonLineParser();
    private final TextLineParser text = new TextLineParser();
    private final LogRecord record = new LogRecord();

    /**
     * Parses {@code line[off, off + len)}; returns the record, valid until the next call, or
     * {@code null} if the line is malformed.
     */
    public LogRecord parse(byte[] line, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')) {
            i++;
        }
        if (i == end) {
            return null;
        }
        boolean ok = line[i] == '{' ? json.parse(line, off, len, record) : text.parse(line, off, len, record);
        return ok ? record : null;
    }
}
