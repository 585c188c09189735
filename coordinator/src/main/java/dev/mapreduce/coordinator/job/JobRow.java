package dev.mapreduce.coordinator.job;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the coordinator needs of a job to schedule it. A job over files has no {@code inputTopic}; its map tasks read
 * their input in {@code format}. A query job has a SQL {@code query} and no functions.
 */
public record JobRow(
        UUID jobId,
        JobStatus status,
        String inputTopic,
        int numReducers,
        String mapFunction,
        String reduceFunction,
        Map<String, String> parameters,
        boolean combiner,
        FormatSpec format,
        String query) {

    /** The job's query, validated again against its format's fields; null for a job of functions. */
    public SqlQuery sqlQuery() {
        return query == null
                ? null
                : SqlQuery.parse(query, QuerySchema.of(Formats.compile(format == null ? FormatSpec.DEFAULT : format)));
    }

    public boolean readsFiles() {
        return inputTopic == null;
    }

    public TaskMessage mapTask(int index, int attempt, MapInput input) {
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
                format,
                query);
    }

    public TaskMessage reduceTask(int partition, int attempt, List<MapRunRef> mapRuns) {
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
                List.of(),
                mapRuns,
                null,
                // a query's reduce compiles it against the format's fields; a function's reduce needs neither
                query == null ? null : format,
                query);
    }
}
