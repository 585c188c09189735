package dev.mapreduce.engine.input;

import java.io.IOException;

/** A map task's input: a file split, a Kafka offset range, or lines in memory. */
@FunctionalInterface
public interface LineSource {

    /** Pushes every line of this input, in order, to {@code handler}. */
    void forEachLine(LineHandler handler) throws IOException;

    /**
     * Pushes the records of this input: with {@code start}, multi-line events (see {@link
     * EventStart} for which events a split owns), else lines; with {@code header}, the first line
     * of each file goes to {@link LineHandler#header} and is not a record. This default treats the
     * whole input as one file read from its beginning; file splits and Kafka ranges know better.
     */
    default void forEachRecord(EventStart start, boolean header, LineHandler handler) throws IOException {
        if (start == null && !header) {
            forEachLine(handler);
            return;
        }
        EventAssembler events = start == null ? null : new EventAssembler(start, true, handler);
        boolean[] first = {header};
        forEachLine(new LineHandler() {
            @Override
            public void line(byte[] buf, int off, int len) {
                if (first[0]) {
                    first[0] = false;
                    handler.header(buf, off, len);
                } else if (events == null) {
                    handler.line(buf, off, len);
                } else {
                    events.line(buf, off, len, true);
                }
            }

            @Override
            public void oversizedLine() {
                if (first[0]) {
                    first[0] = false;
                    handler.header(new byte[0], 0, 0);
                } else if (events == null) {
                    handler.oversizedLine();
                } else {
                    events.oversized(true);
                }
            }

            @Override
            public void locator(Locator locator) {
                handler.locator(events == null ? locator : events.locator(locator));
            }
        });
        if (events != null) {
            events.finish();
        }
    }
}
