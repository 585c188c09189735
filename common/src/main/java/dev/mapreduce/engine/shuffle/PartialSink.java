package dev.mapreduce.engine.shuffle;

/** Receives keys with their partial values {@code (a, b)} in ascending key order. */
@FunctionalInterface
public interface PartialSink {

    /** One key {@code key[0, len)}; the bytes are only valid during the call. */
    void accept(byte[] key, int len, long a, long b);
}
