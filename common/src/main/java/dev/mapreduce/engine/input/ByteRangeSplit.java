package dev.mapreduce.engine.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The line and record rules of {@link InputSplit} over any bytes that can be opened at an offset:
 * a local file, or an object in an object store read with ranged requests. A line belongs to the
 * split that holds the byte before its first byte, so a split reads past its {@code end} to finish
 * its last line (or event) and skips a partial first line; a {@code gzip} file is read whole.
 *
 * @param name how malformed-record samples name the file
 * @param opener the file's bytes from an offset
 */
public record ByteRangeSplit(String name, RangeOpener opener, long start, long end, boolean gzip)
        implements LineSource {

    /** How far a header read expects to go: a header line is short, the stream reads on if it is not. */
    static final long HEADER_HINT = 64 << 10;

    public ByteRangeSplit {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad split range [" + start + ", " + end + ") of " + name);
        }
    }

    @Override
    public void forEachLine(LineHandler handler) throws IOException {
        if (isEmpty()) {
            return;
        }
        try (InputStream in = open()) {
            LineReader reader = reader(in);
            handler.locator(locator(reader));
            reader.forEachLine(handler);
        }
    }

    /**
     * Records of this split: multi-line events when {@code start} is given, the split owning the
     * events whose first line it owns and reading the continuation lines of its last event past its
     * end ({@link EventStart}); with {@code header}, the file's first line goes to {@link
     * LineHandler#header} first (read separately when the split starts past it) and is not a record.
     */
    @Override
    public void forEachRecord(EventStart eventStart, boolean header, LineHandler handler) throws IOException {
        if (eventStart == null && !header || isEmpty()) {
            forEachLine(handler);
            return;
        }
        boolean first = gzip || start == 0;
        if (header && !first) {
            readHeader(handler);
        }
        LineHandler headerTarget = header && first ? handler : null;
        try (InputStream in = open()) {
            LineReader reader = reader(in);
            if (eventStart == null) {
                handler.locator(locator(reader));
                reader.forEachLine(new FirstLineToHeader(headerTarget, handler));
                return;
            }
            EventAssembler events = new EventAssembler(eventStart, first, handler);
            handler.locator(events.locator(locator(reader)));
            reader.forEachEvent(events, headerTarget);
        }
    }

    /** The first line of the file, to {@code handler.header}. */
    private void readHeader(LineHandler handler) throws IOException {
        try (InputStream in = opener.open(0, HEADER_HINT)) {
            new LineReader(in, 0, 0, InputSplit.MAX_LINE_BYTES).forEachLine(new LineHandler() {
                @Override
                public void line(byte[] buf, int off, int len) {
                    handler.header(buf, off, len);
                }

                @Override
                public void oversizedLine() {
                    handler.header(new byte[0], 0, 0);
                }
            });
        }
    }

    private InputStream open() throws IOException {
        if (gzip) {
            return new GZIPInputStream(opener.open(0, end), 1 << 16);
        }
        return opener.open(start, end);
    }

    private LineReader reader(InputStream in) {
        return gzip
                ? new LineReader(in, 0, Long.MAX_VALUE, InputSplit.MAX_LINE_BYTES)
                : new LineReader(in, start, end, InputSplit.MAX_LINE_BYTES);
    }

    private LineHandler.Locator locator(LineReader reader) {

        return gzip
                ? () -> name + " at byte " + reader.position() + " of its uncompressed content"
                : () -> name + " at byte " + reader.position();
    }

    /** Sends the first line to a header target, if there is one, and the rest on. */
    private static final class FirstLineToHeader implements LineHandler {
        private LineHandler header;
        private final LineHandler lines;

        FirstLineToHeader(LineHandler header, LineHandler lines) {
            this.header = header;
            this.lines = lines;
        }

        @Override
        public void line(byte[] buf, int off, int len) {
            if (header != null) {
                header.header(buf, off, len);
                header = null;
            } else {
                lines.line(buf, off, len);
            }
        }

        @Override
        public void oversizedLine() {
            if (header != null) {
                header.header(new byte[0], 0, 0);
                header = null;
            } else {
                lines.oversizedLine();
            }
        }
    }

    /** A range of no bytes owns no line (not even the first line of the file, which the split holding byte 0 owns). */
    private boolean isEmpty() {
        return !gzip && start == end;
    }
}
