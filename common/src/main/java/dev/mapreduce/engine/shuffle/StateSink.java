package dev.mapreduce.engine.shuffle;

/** Receives keys with their merged aggregate states in ascending key order. */
@FunctionalInterface
public interface StateSink {

    /** One key {@code key[0, len)} (valid only during the call) and its state, made by the codec. */
    void accept(byte[] key, int len, Object state);
}
