/**
 * What the services share to run tasks, without Spring: the Kafka task queue (share groups), the
 * task event and control message producer, a worker's heartbeats, control listener and
 * cancellation of running attempts, reading a map task's input offset ranges, the shuffle store
 * ({@link dev.mapreduce.runtime.ShuffleStore}, in Redis in {@code redis}), and the test-only fault
 * injection. {@code worker} holds the Spring wiring both workers share.
 */
package dev.mapreduce.runtime;
