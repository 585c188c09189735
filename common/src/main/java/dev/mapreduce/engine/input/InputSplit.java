package dev.mapreduce.engine.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
        reader().forEachLine(handler);
    }

    /**
     * Records of this split: multi-line events when {@code start} is given, the split owning the
     * events whose first line it owns and reading the continuation lines of its last event past its
     * end ({@link EventStart}); with {@code header}, the file's first line goes to {@link
     * LineHandler#header} first (read separately when the split starts past it) and is not a record.
     */
    @Override
    public void forEachRecord(EventStart eventStart, boolean header, LineHandler handler) throws IOException {
        reader().forEachRecord(eventStart, header, handler);
    }

    /** This split as a {@link ByteRangeSplit} over the local file. */
    public ByteRangeSplit reader() {
        return new ByteRangeSplit(file.toString(), (from, until) -> open(file, from), start, end, gzip);
    }

    private static InputStream open(Path file, long from) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(from);
        return Channels.newInputStream(channel);
    }

    public long length() {
        return end - start;
    }
}
