package dev.mapreduce.protocol;

import dev.mapreduce.engine.task.TaskCounters;

/** What one task attempt read, wrote and shuffled; zero where a counter does not apply. */
public record AttemptCounters(
        long recordsRead,
        long malformedRecords,
        long mapOutputRecords,
        long combineOutputRecords,
        long shuffleBytes,
        long reduceInputRecords,
        long outputRecords) {

    public static final AttemptCounters NONE = new AttemptCounters(0, 0, 0, 0, 0, 0, 0);

    public static AttemptCounters of(TaskCounters c) {
        return new AttemptCounters(
                c.recordsRead(),
                c.malformedRecords(),
                c.mapOutputRecords(),
                c.combineOutputRecords(),
                c.totalShuffleBytes(),
                c.reduceInputRecords(),
                c.outputRecords());
    }
}
