package dev.mapreduce.engine.local;

import dev.mapreduce.engine.task.TaskCounters;
import java.time.Duration;

/** How a local job went: its summed counters, how many map tasks ran, and how long it took. */
public record JobResult(TaskCounters counters, int mapTasks, int reduceTasks, Duration elapsed) {}
