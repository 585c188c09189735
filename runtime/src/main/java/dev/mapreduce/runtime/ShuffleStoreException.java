package dev.mapreduce.runtime;

/** The shuffle store refused a write or a read (unreachable, out of memory, read-only). */
public class ShuffleStoreException extends RuntimeException {

    public ShuffleStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
