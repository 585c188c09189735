package dev.mapreduce.protocol;

import dev.mapreduce.engine.format.FormatSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One task attempt to run, as the coordinator dispatches it. A map task reads {@code ranges} of
 * {@code inputTopic}, or, for a job over files ({@code inputTopic} null), the file splits
 * {@code files} under the map worker's input root; a reduce task (its {@code taskIndex} is its partition) merges the runs of
 * {@code mapRuns}. Everything a worker needs is in the message: workers keep no job state.
 * {@code avoidWorkers} names workers on which earlier attempts failed: one of them passes the task
 * on to another worker if it can. A map task reads its input in {@code format}; a message without
 * one (from before formats, or a reduce task of a job of functions) means the default format.
 * A task of a query job carries the job's SQL {@code query} (and, map or reduce, its format, whose
 * fields are the query's columns) instead of functions; each task compiles it for itself.
 */
public record TaskMessage(
        UUID jobId,
        TaskType type,
        int taskIndex,
        int attempt,
        String mapFunction,
        String reduceFunction,
        Map<String, String> parameters,
        boolean combiner,
        int numReducers,
        String inputTopic,
        List<OffsetRange> ranges,
        List<FileSplit> files,
        List<MapRunRef> mapRuns,
        List<String> avoidWorkers,
        FormatSpec format,
        String query) {

    public TaskMessage {
        avoidWorkers = avoidWorkers == null ? List.of() : List.copyOf(avoidWorkers);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        ranges = ranges == null ? List.of() : List.copyOf(ranges);
        files = files == null ? List.of() : List.copyOf(files);
        mapRuns = mapRuns == null ? List.of() : List.copyOf(mapRuns);
    }

    /** A task of a job of functions. */
    public TaskMessage(
            UUID jobId,
            TaskType type,
            int taskIndex,
            int attempt,
            String mapFunction,
            String reduceFunction,
            Map<String, String> parameters,
            boolean combiner,
            int numReducers,
            String inputTopic,
            List<OffsetRange> ranges,
            List<FileSplit> files,
            List<MapRunRef> mapRuns,
            List<String> avoidWorkers,
            FormatSpec format) {
        this(
                jobId,
                type,
                taskIndex,
                attempt,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                numReducers,
                inputTopic,
                ranges,
                files,
                mapRuns,
                avoidWorkers,
                format,
                null);
    }

    /** A task in the default format. */
    public TaskMessage(
            UUID jobId,
            TaskType type,
            int taskIndex,
            int attempt,
            String mapFunction,
            String reduceFunction,
            Map<String, String> parameters,
            boolean combiner,
            int numReducers,
            String inputTopic,
            List<OffsetRange> ranges,
            List<FileSplit> files,
            List<MapRunRef> mapRuns,
            List<String> avoidWorkers) {
        this(
                jobId,
                type,
                taskIndex,
                attempt,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                numReducers,
                inputTopic,
                ranges,
                files,
                mapRuns,
                avoidWorkers,
                null);
    }

    /** A task without file input: a map task over offset ranges, or a reduce task. */
    public TaskMessage(
            UUID jobId,
            TaskType type,
            int taskIndex,
            int attempt,
            String mapFunction,
            String reduceFunction,
            Map<String, String> parameters,
            boolean combiner,
            int numReducers,
            String inputTopic,
            List<OffsetRange> ranges,
            List<MapRunRef> mapRuns,
            List<String> avoidWorkers) {
        this(
                jobId,
                type,
                taskIndex,
                attempt,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                numReducers,
                inputTopic,
                ranges,
                List.of(),
                mapRuns,
                avoidWorkers,
                null);
    }

    /** The same task as another attempt. */
    public TaskMessage withAttempt(int newAttempt, List<String> avoid) {
        return new TaskMessage(
                jobId,
                type,
                taskIndex,
                newAttempt,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                numReducers,
                inputTopic,
                ranges,
                files,
                mapRuns,
                avoid,
                format,
                query);
    }

    /** The format to read the input in: {@link #format}, or the default format when the message has none. */
    public FormatSpec formatOrDefault() {
        return format == null ? FormatSpec.DEFAULT : format;
    }

    /** {@code <job>/<type>-<index>#<attempt>}, for logs and errors. */
    public String attemptName() {
        return jobId + "/" + type.tag() + "-" + taskIndex + "#" + attempt;
    }
}
