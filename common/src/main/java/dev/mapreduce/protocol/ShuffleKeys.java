package dev.mapreduce.protocol;

import java.util.UUID;

/**
 * Redis key names of the shuffle. One run per (map task, attempt, reduce partition), under
 * {@code mr:{<job>:<partition>}:m<task>:a<attempt>}, and a long run's chunks under that name plus
 * {@code :c<chunk>}: the hash tag puts all runs of one reduce partition in one Redis Cluster slot
 * (one pipeline fetches them), and the attempt in the name keeps a zombie attempt's output apart
 * from the committed one. Every key a job writes is also a member of the job's index
 * ({@link #jobIndex}), so that deleting a job reads the index instead of scanning the keyspace of
 * every node.
 */
public final class ShuffleKeys {

    private ShuffleKeys() {}

    public static String run(UUID jobId, int partition, int mapTask, int attempt) {
        return "mr:{" + jobId + ":" + partition + "}:m" + mapTask + ":a" + attempt;
    }

    /** Chunk {@code chunk} of a run stored in chunks. */
    public static String chunk(UUID jobId, int partition, int mapTask, int attempt, int chunk) {
        return run(jobId, partition, mapTask, attempt) + ":c" + chunk;
    }

    /**
     * The set of every shuffle key the job wrote (runs and chunks): in a slot of its own, apart
     * from the partitions' slots, and never matched by {@link #jobPattern}.
     */
    public static String jobIndex(UUID jobId) {
        return "mr:{" + jobId + "}:keys";
    }

    /** A SCAN pattern matching every shuffle key of the job (its runs and chunks, not its index). */
    public static String jobPattern(UUID jobId) {
        return "mr:{" + jobId + ":*";
    }
}
