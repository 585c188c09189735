package dev.mapreduce.engine.input;

import java.io.IOException;
import java.io.InputStream;

/** Opens the bytes of one input file from an offset to its end. */
@FunctionalInterface
public interface RangeOpener {

    /**
     * The file's bytes from {@code from} on. {@code until} is where the reader expects to stop, give
     * or take the rest of a line: a remote store fetches about that much first and more only when
     * the reader reads on.
     */
    InputStream open(long from, long until) throws IOException;
}
