package dev.mapreduce.protocol;

import dev.mapreduce.engine.task.MalformedRecords;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a worker reports, in order, on {@link Topics#TASK_EVENTS}: about a task attempt, or (a
 * heartbeat) about itself. The coordinator accepts a completion only from an attempt it still
 * trusts; a duplicate or stale event changes nothing.
 *
 * @param lostMapTask for {@link Kind#FETCH_FAILED}: the map task whose run the reducer could not read
 * @param running for {@link Kind#HEARTBEAT}: the attempts the worker is running now
 * @param malformedSamples for a map attempt's {@link Kind#SUCCEEDED}: its first malformed records
 *     (at most {@link MalformedRecords#MAX_SAMPLES}), where they were and why; absent in events
 *     from before they were sent
 */
public record TaskEvent(
        UUID jobId,
        TaskType type,
        int taskIndex,
        int attempt,
        String workerId,
        Kind kind,
        AttemptCounters counters,
        String error,
        Instant at,
        Integer lostMapTask,
        List<AttemptRef> running,
        List<MalformedRecords.Sample> malformedSamples) {

    public enum Kind {
        /** The worker took the attempt and began running it. */
        STARTED,
        /** The attempt finished and its output is stored (map: runs in Redis; reduce: rows committed). */
        SUCCEEDED,
        /** The attempt threw; {@code error} says why. Counts towards the task's attempt limit. */
        FAILED,
        /** A reduce attempt could not read the run of map task {@code lostMapTask}; not the reducer's fault. */
        FETCH_FAILED,
        /** The worker stopped the attempt because it was told to (cancelled job, or another attempt won). */
        ABORTED,
        /** The worker is alive and runs {@code running}; {@code type} is its kind, the task fields are unused. */
        HEARTBEAT
    }

    public TaskEvent {
        counters = counters == null ? AttemptCounters.NONE : counters;
        running = running == null ? List.of() : List.copyOf(running);
        malformedSamples = malformedSamples == null ? List.of() : List.copyOf(malformedSamples);
    }

    /** An event without malformed samples. */
    public TaskEvent(
            UUID jobId,
            TaskType type,
            int taskIndex,
            int attempt,
            String workerId,
            Kind kind,
            AttemptCounters counters,
            String error,
            Instant at,
            Integer lostMapTask,
            List<AttemptRef> running) {
        this(jobId, type, taskIndex, attempt, workerId, kind, counters, error, at, lostMapTask, running, null);
    }

    /** The attempt this event is about. */
    public AttemptRef attemptRef() {
        return new AttemptRef(jobId, type, taskIndex, attempt);
    }

    private static TaskEvent of(
            TaskMessage t, String workerId, Kind kind, AttemptCounters c, String error, Integer lost) {
        return new TaskEvent(
                t.jobId(), t.type(), t.taskIndex(), t.attempt(), workerId, kind, c, error, Instant.now(), lost, null);
    }

    public static TaskEvent started(TaskMessage task, String workerId) {
        return of(task, workerId, Kind.STARTED, AttemptCounters.NONE, null, null);
    }

    public static TaskEvent succeeded(TaskMessage task, String workerId, AttemptCounters counters) {
        return of(task, workerId, Kind.SUCCEEDED, counters, null, null);
    }

    /** A map attempt's success, with its first malformed records. */
    public static TaskEvent succeeded(
            TaskMessage task, String workerId, AttemptCounters counters, List<MalformedRecords.Sample> samples) {
        return new TaskEvent(
                task.jobId(),
                task.type(),
                task.taskIndex(),
                task.attempt(),
                workerId,
                Kind.SUCCEEDED,
                counters,
                null,
                Instant.now(),
                null,
                null,
                samples);
    }

    public static TaskEvent failed(TaskMessage task, String workerId, String error) {
        return of(task, workerId, Kind.FAILED, AttemptCounters.NONE, error, null);
    }

    public static TaskEvent fetchFailed(TaskMessage task, String workerId, int lostMapTask, String error) {
        return of(task, workerId, Kind.FETCH_FAILED, AttemptCounters.NONE, error, lostMapTask);
    }

    public static TaskEvent aborted(TaskMessage task, String workerId, String reason) {
        return of(task, workerId, Kind.ABORTED, AttemptCounters.NONE, reason, null);
    }

    public static TaskEvent heartbeat(String workerId, TaskType type, List<AttemptRef> running) {
        return new TaskEvent(
                null, type, -1, 0, workerId, Kind.HEARTBEAT, AttemptCounters.NONE, null, Instant.now(), null, running);
    }
}
