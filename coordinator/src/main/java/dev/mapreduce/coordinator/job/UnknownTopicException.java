package dev.mapreduce.coordinator.job;

/** A job names an input topic Kafka does not have. */
public class UnknownTopicException extends RuntimeException {

    UnknownTopicException(String topic) {
        super("topic '" + topic + "' does not exist");
    }
}
