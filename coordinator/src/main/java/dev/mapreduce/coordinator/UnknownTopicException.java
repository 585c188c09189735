package dev.mapreduce.coordinator;

/** A job names an input topic Kafka does not have. */
class UnknownTopicException extends RuntimeException {

    UnknownTopicException(String topic) {
        super("topic '" + topic + "' does not exist");
    }
}
