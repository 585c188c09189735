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
        if (gzip) {
            try (InputStream in = new GZIPInputStream(java.nio.file.Files.newInputStream(file), 1 << 16)) {
                new LineReader(in, 0, Long.MAX_VALUE, MAX_LINE_BYTES).forEachLine(handler);
            }
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(start);
            InputStream in = Channels.newInputStream(channel);
            new LineReader(in, start, end, MAX_LINE_BYTES).forEachLine(handler);
        }
    }

    public long length() {
        return end - start;
    }
}
