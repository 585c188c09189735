package dev.mapreduce.engine.shuffle;

/** Where a query's map side finds the mutable aggregate state of a key, to fold a record into it. */
@FunctionalInterface
public interface StateEmitter {

    /**
     * The state of {@code key[off, off + len)}, created by the codec on the key's first use; the
     * bytes are copied if kept. Valid until the next call.
     */
    Object state(byte[] key, int off, int len);

    /**
     * Adds {@code key}, whose state is empty and takes nothing from a record (a count(DISTINCT)
     * value): where the map output is combined, the key is in the task's runs once however often it
     * was added, and an emitter may keep it without looking it up, dropping the copies when it sorts.
     * A key given here is never given to {@link #state}.
     */
    default void add(byte[] key, int off, int len) {
        state(key, off, len);
    }
}
