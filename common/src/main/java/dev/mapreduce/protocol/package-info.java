/**
 * The contracts between the services: the job request, task and event messages carried over
 * Kafka, status enums, topic names and shuffle key names. Plain records, encoded as JSON by
 * {@link dev.mapreduce.protocol.Messages}.
 */
package dev.mapreduce.protocol;
