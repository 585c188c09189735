package dev.mapreduce.protocol;

/**
 * Kafka names. Task topics have one partition that every worker of a kind shares through a share
 * group, so any idle worker takes any waiting task and a slow task blocks nothing behind it.
 */
public final class Topics {

    public static final String MAP_TASKS = "mapreduce.tasks.map";
    public static final String REDUCE_TASKS = "mapreduce.tasks.reduce";
    public static final String TASK_EVENTS = "mapreduce.task-events";
    /** Cancellations, broadcast: every worker reads all of it (no group). */
    public static final String CONTROL = "mapreduce.control";

    public static final String MAP_WORKERS_GROUP = "mapreduce-map-workers";
    public static final String REDUCE_WORKERS_GROUP = "mapreduce-reduce-workers";
    public static final String COORDINATOR_GROUP = "mapreduce-coordinator";

    private Topics() {}

    public static String taskTopic(TaskType type) {
        return type == TaskType.MAP ? MAP_TASKS : REDUCE_TASKS;
    }

    public static String workersGroup(TaskType type) {
        return type == TaskType.MAP ? MAP_WORKERS_GROUP : REDUCE_WORKERS_GROUP;
    }
}
