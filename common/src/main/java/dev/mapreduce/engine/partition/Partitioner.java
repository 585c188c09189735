package dev.mapreduce.engine.partition;

/** Assigns a map output key to one of the job's reduce partitions. */
@FunctionalInterface
public interface Partitioner {

    /** The partition, in {@code [0, numPartitions)}, of the UTF-8 key {@code key[off, off + len)}. */
    int partition(byte[] key, int off, int len, int numPartitions);
}
