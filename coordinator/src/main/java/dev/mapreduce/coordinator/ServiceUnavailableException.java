package dev.mapreduce.coordinator;

/** Kafka, Redis or PostgreSQL did not answer; the request may succeed later. */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
