package dev.mapreduce.runtime;

/** A failure {@link TestFaults} made on purpose. */
public class InjectedFaultException extends RuntimeException {

    public InjectedFaultException(String message) {
        super(message);
    }
}
