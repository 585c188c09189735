package dev.mapreduce.protocol;

import java.util.UUID;

/**
 * Redis key names of the shuffle. One run per (map task, attempt, reduce partition), under
 * {@code mr:{<job>:<partition>}:m<task>:a<attempt>}, and a long run's chunks under that name plus
 * {@code :c<chunk>}: the hash tag puts all runs of one reduce partition in one Redis Cluster slot
 * (one pipeline fetches them), and the attempt in the name keeps a zombie attempt's output apart
 * from the committed one.
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

    /** A SCAN pattern matching every shuffle key of the job. */
    public static String jobPattern(UUID jobId) {
        return "mr:{" + jobId + ":*";
    }
}
