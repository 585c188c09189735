package dev.mapreduce.engine.task;

/**
 * What a map task produced: for each reduce partition one encoded run (or {@code null} when the
 * task has no key for it), and its counters.
 */
public record MapOutput(byte[][] runs, TaskCounters counters) {}
