package dev.mapreduce.runtime.s3;

import java.io.IOException;

/** An object store refused or failed a request; {@link #reason} says whether the caller can fix it. */
public class ObjectStoreException extends IOException {

    /** What went wrong, as far as the caller is concerned. */
    public enum Reason {
        /** No such bucket, key or prefix, or nothing under it. */
        NOT_FOUND,
        /** The credentials were refused, could not be loaded, or do not grant access. */
        ACCESS_DENIED,
        /** The store could not be reached or failed: trying again later may help. */
        UNAVAILABLE
    }

    private final Reason reason;

    public ObjectStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
