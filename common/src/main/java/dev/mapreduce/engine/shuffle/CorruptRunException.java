package dev.mapreduce.engine.shuffle;

/** A shuffle run failed its integrity checks: it must be recomputed, never used. */
public class CorruptRunException extends RuntimeException {

    public CorruptRunException(String message) {
        super(message);
    }
}
