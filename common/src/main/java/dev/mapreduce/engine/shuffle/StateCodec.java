package dev.mapreduce.engine.shuffle;

/**
 * How opaque aggregate states travel through the shuffle (runs with {@link RunFormat#FLAG_STATE}):
 * a map task keeps one mutable state per key, the codec encodes it into the run, and the
 * combiner and the reducer fold encoded states of equal keys into one. Merging must be
 * associative and commutative, so combining on the map side never changes a result.
 */
public interface StateCodec {

    /** A new empty state for {@code key[off, off + len)}. */
    Object create(byte[] key, int off, int len);

    /** Folds the encoded state {@code b[off, off + len)} into {@code state}. */
    void merge(Object state, byte[] b, int off, int len);

    /** Appends the encoding of {@code state} to {@code out}. */
    void encode(Object state, StateOutput out);

    /** About how many bytes of heap a state of a new key takes, for the map task's memory budget. */
    int stateBytes();
}
