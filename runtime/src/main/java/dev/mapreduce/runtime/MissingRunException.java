package dev.mapreduce.runtime;

/**
 * A map run a reduce task needs is not in the shuffle store (Redis restarted, the TTL expired or
 * the key was evicted). The coordinator recovers by re-running {@link #mapTask()}.
 */
public class MissingRunException extends RuntimeException {

    private final int mapTask;

    public MissingRunException(int mapTask, String key) {
        super("shuffle run of map task " + mapTask + " is missing from Redis (" + key + ")");
        this.mapTask = mapTask;
    }

    public int mapTask() {
        return mapTask;
    }
}
