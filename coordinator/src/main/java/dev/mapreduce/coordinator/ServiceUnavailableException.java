package dev.mapreduce.coordinator;

/** Kafka, Redis or PostgreSQL did not answer; the request may succeed later. */
class ServiceUnavailableException extends RuntimeException {

    ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
