package dev.mapreduce.engine.local;

import dev.mapreduce.engine.sql.RecordReader;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.MapTask;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * A SQL query for {@link LocalJobRunner}: the validated query, its input, how the input's lines
 * are parsed (one reader per map task), and the shape of the job.
 *
 * @param reducers reduce partitions
 * @param combiner whether map tasks merge the states of equal keys before the shuffle
 */
public record LocalQueryJob(
        SqlQuery query,
        List<Path> inputs,
        Supplier<RecordReader> readers,
        int mappers,
        int reducers,
        boolean combiner,
        long sortBufferBytes,
        Path spillDirectory) {

    public LocalQueryJob {
        inputs = List.copyOf(inputs);
    }

    /** A job with the combiner on, the default sort buffer, spilling to the temporary directory. */
    public static LocalQueryJob of(
            SqlQuery query, List<Path> inputs, Supplier<RecordReader> readers, int mappers, int reducers) {
        return new LocalQueryJob(
                query,
                inputs,
                readers,
                mappers,
                reducers,
                true,
                MapTask.DEFAULT_SORT_BUFFER_BYTES,
                Path.of(System.getProperty("java.io.tmpdir")));
    }
}
