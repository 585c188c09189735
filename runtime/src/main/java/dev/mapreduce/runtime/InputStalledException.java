package dev.mapreduce.runtime;

import java.io.IOException;

/**
 * Reading a map task's input from Kafka went longer than the stall timeout without a record: most
 * often the brokers are unreachable or taking over partitions, so it is an {@linkplain Outages outage}.
 */
public class InputStalledException extends IOException {

    public InputStalledException(String message) {
        super(message);
    }
}
