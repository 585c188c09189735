package dev.mapreduce.protocol;

/**
 * Kafka names. Task topics have one partition by default, which every worker of a kind shares
 * through a share group, so any idle worker takes any waiting task and a slow task blocks nothing
 * behind it; with several partitions (docs/kafka.md) a job's tasks are spread over all of them.
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

    /**
     * The key of a task message: the task, not the job, so that on a task topic with several
     * partitions one job's tasks go to all of them. Workers do not read it.
     */
    public static String taskKey(TaskMessage task) {
        return task.jobId() + "/" + task.type().tag() + "-" + task.taskIndex();
    }

    public static String workersGroup(TaskType type) {
        return type == TaskType.MAP ? MAP_WORKERS_GROUP : REDUCE_WORKERS_GROUP;
    }
}
