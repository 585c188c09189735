package dev.mapreduce.engine.shuffle;

/** A shuffle run failed its integrity checks: it must be recomputed, never used. */
public class CorruptRunException extends RuntimeException {

    private final int source;

    public CorruptRunException(String message) {
        this(message, -1);
    }

    public CorruptRunException(String message, int source) {
        super(message);
        this.source = source;
    }

    /** The number the reader of the run was given to tell it apart, or -1. */
    public int source() {
        return source;
    }
}
