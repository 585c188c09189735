/**
 * What the services share to run tasks, without Spring: the Kafka task queue (share groups), the
 * task event and control message producer, a worker's heartbeats, control listener and
 * cancellation of running attempts, reading a map task's input offset ranges, the Redis shuffle
 * store, and the test-only fault injection.
 */
package dev.mapreduce.runtime;
