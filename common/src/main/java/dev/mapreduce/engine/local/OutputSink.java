package dev.mapreduce.engine.local;

import java.io.IOException;

/** Receives a job's output, one key at a time, in ascending key order. */
@FunctionalInterface
public interface OutputSink {

    /** One result: UTF-8 key {@code key[0, len)} (valid only during the call) and its value. */
    void accept(byte[] key, int len, String value) throws IOException;
}
