package dev.mapreduce.engine.task;

/**
 * What a map task produced: for each reduce partition one encoded run (or none when the task has
 * no key for it), and its counters. Close it to delete the runs' file.
 */
public record MapOutput(MapRuns runs, TaskCounters counters) implements AutoCloseable {

    @Override
    public void close() {
        runs.close();
    }
}
