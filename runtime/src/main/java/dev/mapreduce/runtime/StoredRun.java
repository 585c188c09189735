package dev.mapreduce.runtime;

import java.io.InputStream;

/**
 * One map run of a reduce partition, as {@link ShuffleStore#openRuns} found it: its first bytes
 * (all of a small run) and a stream over the rest. A run that is gone or shorter than expected
 * while being read is a {@link MissingRunException}.
 */
public interface StoredRun {

    int mapTask();

    /** The run's length in bytes. */
    long size();

    /** The whole run, if the first read brought all of it; else {@code null}. */
    byte[] whole();

    /**
     * The run's bytes from the start, each read fetching at most the window. Not thread-safe.
     */
    InputStream open();
}
