package dev.mapreduce.coordinator.job;

import dev.mapreduce.coordinator.dispatch.DispatchStore;
import dev.mapreduce.coordinator.event.EventBatch;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    /**
     * The columns of a {@link JobRow}, as {@link #read} reads them: every query of job rows
     * ({@link JobStore}'s, {@link EventBatch}'s, {@link DispatchStore}'s) selects this list.
     */
    public static final String COLUMNS =
            "job_id, status, input_topic, num_reducers, map_function, reduce_function, parameters, combiner, format, query";

    public static JobRow read(ResultSet rs, int n) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, String> parameters =
                Messages.decode(rs.getString("parameters").getBytes(StandardCharsets.UTF_8), Map.class);
        return new JobRow(
                rs.getObject("job_id", UUID.class),
                JobStatus.valueOf(rs.getString("status")),
                rs.getString("input_topic"),
                rs.getInt("num_reducers"),
                rs.getString("map_function"),
                rs.getString("reduce_function"),
                parameters,
                rs.getBoolean("combiner"),
                format(rs.getString("format")),
                rs.getString("query"));
    }

    /** A job's stored format; null (a job from before formats) is the default format. */
    public static FormatSpec format(String json) {
        return json == null
                ? FormatSpec.DEFAULT
                : Messages.decode(json.getBytes(StandardCharsets.UTF_8), FormatSpec.class);
    }

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
