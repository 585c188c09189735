/**
 * The MapReduce engine: everything a job does to data, with no Spring and no I/O to the cluster.
 *
 * <p>A map task reads lines ({@link dev.mapreduce.engine.input}), parses them with the job's format
 * ({@link dev.mapreduce.engine.format}) into records of the fields its map function reads ({@link
 * dev.mapreduce.engine.record}), applies the map function and, when the combiner is on,
 * pre-aggregates ({@link dev.mapreduce.engine.function}), assigns each key a reduce partition with
 * murmur3 ({@link dev.mapreduce.engine.partition}) and encodes one key-sorted run per partition
 * ({@link dev.mapreduce.engine.shuffle}). A reduce task merges the runs of its partition in one
 * streaming k-way merge. {@link dev.mapreduce.engine.local.LocalJobRunner} drives exactly these
 * classes over files in one process; the workers drive them over Kafka and Redis.
 */
package dev.mapreduce.engine;
