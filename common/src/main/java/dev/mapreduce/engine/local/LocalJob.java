package dev.mapreduce.engine.local;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.engine.task.MapTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A job for {@link LocalJobRunner}: input files or folders, the functions by name, about how many
 * map splits and exactly how many reduce partitions.
 *
 * @param inputs files and folders to read (folders: the files directly in them)
 * @param mapFunction a map function name from the catalogue
 * @param parameters map function parameters (ERROR_PATTERN's {@code pattern.NAME=REGEX})
 * @param reduceFunction a reduce function name
 * @param mappers how many map splits to cut the input into (gzip files are one split each)
 * @param reducers how many reduce partitions
 * @param combiner whether map tasks pre-aggregate their output
 * @param sortBufferBytes memory budget of each map task's output buffer before it spills
 * @param spillDirectory where map tasks spill their output past that budget, each in a folder of its own
 * @param format the input's format (null: the default format)
 * @param maxMalformedRatio the job fails when more than this share of its records is malformed
 *     (negative: {@link MalformedRecords#DEFAULT_MAX_RATIO}); 1 never fails
 */
public record LocalJob(
        List<Path> inputs,
        String mapFunction,
        Map<String, String> parameters,
        String reduceFunction,
        int mappers,
        int reducers,
        boolean combiner,
        long sortBufferBytes,
        Path spillDirectory,
        FormatSpec format,
        double maxMalformedRatio) {

    public LocalJob {
        inputs = List.copyOf(inputs);
        parameters = Map.copyOf(parameters);
        format = format == null ? FormatSpec.DEFAULT : format;
        if (maxMalformedRatio < 0 || Double.isNaN(maxMalformedRatio)) {
            maxMalformedRatio = MalformedRecords.DEFAULT_MAX_RATIO;
        }
        if (maxMalformedRatio > 1) {
            throw new IllegalArgumentException("maxMalformedRatio must be between 0 and 1, got " + maxMalformedRatio);
        }
    }

    /** A job over input in the default format. */
    public LocalJob(
            List<Path> inputs,
            String mapFunction,
            Map<String, String> parameters,
            String reduceFunction,
            int mappers,
            int reducers,
            boolean combiner,
            long sortBufferBytes,
            Path spillDirectory) {
        this(
                inputs,
                mapFunction,
                parameters,
                reduceFunction,
                mappers,
                reducers,
                combiner,
                sortBufferBytes,
                spillDirectory,
                FormatSpec.DEFAULT,
                -1);
    }

    /** A job spilling to the JVM's temporary directory. */
    public LocalJob(
            List<Path> inputs,
            String mapFunction,
            Map<String, String> parameters,
            String reduceFunction,
            int mappers,
            int reducers,
            boolean combiner,
            long sortBufferBytes) {
        this(
                inputs,
                mapFunction,
                parameters,
                reduceFunction,
                mappers,
                reducers,
                combiner,
                sortBufferBytes,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A job with no parameters, the combiner on and the default sort buffer. */
    public static LocalJob of(List<Path> inputs, String map, String reduce, int mappers, int reducers) {
        return new LocalJob(inputs, map, Map.of(), reduce, mappers, reducers, true, MapTask.DEFAULT_SORT_BUFFER_BYTES);
    }

    public LocalJob withCombiner(boolean on) {
        return new LocalJob(
                inputs,
                mapFunction,
                parameters,
                reduceFunction,
                mappers,
                reducers,
                on,
                sortBufferBytes,
                spillDirectory,
                format,
                maxMalformedRatio);
    }

    public LocalJob withFormat(FormatSpec format) {
        return new LocalJob(
                inputs,
                mapFunction,
                parameters,
                reduceFunction,
                mappers,
                reducers,
                combiner,
                sortBufferBytes,
                spillDirectory,
                format,
                maxMalformedRatio);
    }

    public LocalJob withMaxMalformedRatio(double ratio) {
        return new LocalJob(
                inputs,
                mapFunction,
                parameters,
                reduceFunction,
                mappers,
                reducers,
                combiner,
                sortBufferBytes,
                spillDirectory,
                format,
                ratio);
    }
}
