package dev.mapreduce.engine.input;

/**
 * Which lines start a multi-line event; the lines after a start line that do not start one
 * (a Java stack trace under its log line) belong to its event. Thread-safe.
 *
 * <p>Events are owned as lines are (Hadoop's TextInputFormat rule, extended): a split, or a Kafka
 * offset range, owns the events whose start line it owns, and reads the continuation lines of its
 * last event past its end; the continuation lines it finds at its beginning belong to the event
 * before, which the split before owns. So every event is read whole, exactly once, wherever the
 * boundaries fall. Lines before the first start line of a file form an event of their own. An
 * event of {@link InputSplit#MAX_LINE_BYTES} or more is read to its end but not kept: it counts
 * as one oversized (malformed) record.
 */
public interface EventStart {

    /** Whether {@code line[off, off + len)} starts an event. */
    boolean startsEvent(byte[] line, int off, int len);
}
