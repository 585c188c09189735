package dev.mapreduce.engine.shuffle;

/** Where a query's map side finds the mutable aggregate state of a key, to fold a record into it. */
@FunctionalInterface
public interface StateEmitter {

    /**
     * The state of {@code key[off, off + len)}, created by the codec on the key's first use; the
     * bytes are copied if kept. Valid until the next call.
     */
    Object state(byte[] key, int off, int len);
}
