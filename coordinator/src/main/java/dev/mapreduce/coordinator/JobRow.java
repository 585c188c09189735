package dev.mapreduce.coordinator;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the coordinator needs of a job to schedule it. A job over files has no {@code inputTopic}; its map tasks read
 * their input in {@code format}.
 */
record JobRow(
        UUID jobId,
        JobStatus status,
        String inputTopic,
        int numReducers,
        String mapFunction,
        String reduceFunction,
        Map<String, String> parameters,
        boolean combiner,
        FormatSpec format) {

    boolean readsFiles() {
        return inputTopic == null;
    }

    TaskMessage mapTask(int index, int attempt, MapInput input) {
        return new TaskMessage(
                jobId,
                TaskType.MAP,
                index,
                attempt,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                numReducers,
                inputTopic,
                input.ranges(),
                input.files(),
                List.of(),
                null,
                format);
    }

    TaskMessage reduceTask(int partition, int attempt, List<MapRunRef> mapRuns) {
        return new TaskMessage(
                jobId,
                TaskType.REDUCE,
                partition,
                attempt,
                mapFunction,
                reduceFunction,
                parameters,
                combiner,
                numReducers,
                inputTopic,
                List.of(),
                mapRuns,
                null);
    }
}
