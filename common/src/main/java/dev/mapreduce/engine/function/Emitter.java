package dev.mapreduce.engine.function;

/** Where a map function sends its (key, value) pairs. */
@FunctionalInterface
public interface Emitter {

    /** Emits the UTF-8 key {@code key[off, off + len)} with {@code value}; the bytes are copied if kept. */
    void emit(byte[] key, int off, int len, long value);
}
