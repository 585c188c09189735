package dev.mapreduce.engine.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * A byte range {@code [start, end)} of a file, read as Hadoop's TextInputFormat does: a line
 * belongs to the split that holds the byte before its first byte (the first line of the file to
 * the first split), so every line is read by exactly one split wherever the boundaries fall. A
 * {@code .gz} file is one split.
 */
public record InputSplit(Path file, long start, long end, boolean gzip) implements LineSource {

    public InputSplit {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad split range [" + start + ", " + end + ") of " + file);
        }
    }

    /** Lines of this many bytes or more are skipped, without being held in memory, and reported as oversized. */
    public static final int MAX_LINE_BYTES = 64 << 20;

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
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            new LineReader(in, 0, 0, MAX_LINE_BYTES).forEachLine(new LineHandler() {
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
            return new GZIPInputStream(java.nio.file.Files.newInputStream(file), 1 << 16);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(start);
        return Channels.newInputStream(channel);
    }

    private LineReader reader(InputStream in) {
        return gzip
                ? new LineReader(in, 0, Long.MAX_VALUE, MAX_LINE_BYTES)
                : new LineReader(in, start, end, MAX_LINE_BYTES);
    }

    private LineHandler.Locator locator(LineReader reader) {
        String name = file.toString();
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

    public long length() {
        return end - start;
    }

    /** A range of no bytes owns no line (not even the first line of the file, which the split holding byte 0 owns). */
    private boolean isEmpty() {
        return !gzip && start == end;
    }
}
