package dev.mapreduce.reduceworker;

import dev.mapreduce.runtime.TaskFailure;

/** A run the attempt needs is missing or damaged: the map task that wrote it has to run again. */
final class FetchFailure extends TaskFailure {

    private final int mapTask;

    FetchFailure(int mapTask, String message, Throwable cause) {
        super(message, cause);
        this.mapTask = mapTask;
    }

    int mapTask() {
        return mapTask;
    }
}
