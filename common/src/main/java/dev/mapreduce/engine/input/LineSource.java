package dev.mapreduce.engine.input;

import java.io.IOException;

/** A map task's input: a file split, a Kafka offset range, or lines in memory. */
@FunctionalInterface
public interface LineSource {

    /** Pushes every line of this input, in order, to {@code handler}. */
    void forEachLine(LineHandler handler) throws IOException;
}
