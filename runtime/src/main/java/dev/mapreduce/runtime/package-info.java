/**
 * What the services share to run tasks, without Spring: the Kafka task queue (share groups), the
 * task event producer, reading a map task's input offset ranges, and the Redis shuffle store.
 */
package dev.mapreduce.runtime;
