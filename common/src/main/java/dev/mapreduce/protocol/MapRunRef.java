package dev.mapreduce.protocol;

/** The committed attempt of one map task, whose runs a reduce task fetches. */
public record MapRunRef(int mapTask, int attempt) {}
