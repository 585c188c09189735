package dev.mapreduce.engine.shuffle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An encoded run, in memory or in a file: its size, and its bytes read from the start. */
public interface RunSource {

    /** The run's length in bytes. */
    long size();

    /** A new stream of the run's bytes; the caller closes it. */
    InputStream open() throws IOException;

    /** The run's bytes in one array: for a run small enough to hold whole. */
    default byte[] readAll() throws IOException {
        if (size() > Integer.MAX_VALUE - 8) {
            throw new IOException("a run of " + size() + " bytes does not fit in one array");
        }
        try (InputStream in = open()) {
            byte[] bytes = in.readNBytes((int) size());
            if (bytes.length != size()) {
                throw new IOException("run ended after " + bytes.length + " of " + size() + " bytes");
            }
            return bytes;
        }
    }

    static RunSource of(byte[] run) {
        return new RunSource() {
            @Override
            public long size() {
                return run.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(run);
            }

            @Override
            public byte[] readAll() {
                return run;
            }
        };
    }
}
