package dev.mapreduce.engine.input;

/**
 * Joins lines into multi-line events ({@link EventStart}): a start line begins an event, the
 * lines after it that do not start one are appended to it with {@code \n} between. It is fed the
 * lines a split (or Kafka range) reads, each marked whether the split owns it (it starts at or
 * before the split's end), and says when to stop: at the first start line the split does not own.
 * Continuation lines before the first start line belong to the event before the split, unless the
 * split is the beginning of its file ({@code leadingOwned}): then they form an event of their own.
 * An event of {@link InputSplit#MAX_LINE_BYTES} or more is read to its end and reported oversized.
 * File splits and Kafka offset ranges (the worker's {@code KafkaRangeSource}) both read through it.
 */
public final class EventAssembler {

    private final EventStart start;
    private final boolean leadingOwned;
    private final LineHandler out;

    private byte[] buf = new byte[4096];
    private int used;
    private boolean open;
    private boolean oversized;
    private boolean started;
    private int lineCount;

    /** Where the current line came from, by the source's locator, and where the open event began. */
    private LineHandler.Locator lines;

    private String eventWhere;
    private String deliveredWhere;

    public EventAssembler(EventStart start, boolean leadingOwned, LineHandler out) {
        this.start = start;
        this.leadingOwned = leadingOwned;
        this.out = out;
    }

    /** A locator for the events, given the source's locator of lines. */
    public LineHandler.Locator locator(LineHandler.Locator lines) {
        this.lines = lines;
        return () -> deliveredWhere;
    }

    /**
     * One line; {@code owned} when it starts at or before the split's end.
     *
     * @return false when the split has read everything it owns
     */
    public boolean line(byte[] b, int off, int len, boolean owned) {
        if (start.startsEvent(b, off, len)) {
            flush();
            if (!owned) {
                return false;
            }
            started = true;
            begin();
            append(b, off, len);
            return true;
        }
        if (open) {
            append(b, off, len);
            return true;
        }
        if (!started && leadingOwned && owned) {
            started = true; // lines before the first start line of a file: an event of their own
            begin();
            append(b, off, len);
            return true;
        }
        return owned; // a continuation of the split before's last event
    }

    /** A line too long to read; it cannot start an event, so it continues one (making it oversized). */
    public boolean oversized(boolean owned) {
        if (open) {
            oversized = true;
            return true;
        }
        if (!started && leadingOwned && owned) {
            started = true;
            begin();
            oversized = true;
            return true;
        }
        return owned;
    }

    /** Delivers the last event, if one is open. */
    public void finish() {
        flush();
    }

    private void begin() {
        open = true;
        oversized = false;
        used = 0;
        lineCount = 0;
        eventWhere = lines == null ? null : lines.where();
    }

    private void append(byte[] b, int off, int len) {
        if (oversized) {
            return;
        }
        int separator = lineCount == 0 ? 0 : 1;
        long need = (long) used + separator + len;
        if (need >= InputSplit.MAX_LINE_BYTES) {
            oversized = true;
            return;
        }
        if (need > buf.length) {
            byte[] bigger = new byte[(int) Math.max(need, Math.min((long) buf.length * 2, InputSplit.MAX_LINE_BYTES))];
            System.arraycopy(buf, 0, bigger, 0, used);
            buf = bigger;
        }
        if (separator == 1) {
            buf[used++] = '\n';
        }
        System.arraycopy(b, off, buf, used, len);
        used += len;
        lineCount++;
    }

    private void flush() {
        if (!open) {
            return;
        }
        open = false;
        deliveredWhere = eventWhere;
        if (oversized) {
            out.oversizedLine();
        } else {
            out.line(buf, 0, used);
        }
        used = 0;
    }
}
