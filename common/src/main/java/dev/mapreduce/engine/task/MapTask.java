package dev.mapreduce.engine.task;

import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.function.MapFunction;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.engine.partition.Partitioner;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.shuffle.StateCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One map task: parse each line of its input, map valid records, combine (unless switched off),
 * partition by key and encode one sorted run per reduce partition. Malformed lines are counted
 * and skipped. Memory is bounded by the sort buffer: past it, output spills to files in a folder
 * of its own under the spill directory, deleted when the task fails or its output is closed.
 * Runs in the calling thread; a task object runs once.
 */
public final class MapTask {

    /** Default map-side buffer budget, as Hadoop's {@code mapreduce.task.io.sort.mb}. */
    public static final long DEFAULT_SORT_BUFFER_BYTES = 64L << 20;

    private final MapFunction mapFunction;
    private final LogFormat format;
    private final ReduceFunction reduceFunction;
    private final LineMapper lineMapper;
    private final StateCodec codec;
    private final boolean combine;
    private final Partitioner partitioner;
    private final int partitions;
    private final long sortBufferBytes;
    private final Path spillDirectory;

    /** A map task over input in the default format. */
    public MapTask(
            MapFunction mapFunction,
            ReduceFunction reduceFunction,
            boolean combine,
            Partitioner partitioner,
            int partitions,
            long sortBufferBytes,
            Path spillDirectory) {
        this(
                mapFunction,
                Formats.DEFAULT,
                reduceFunction,
                combine,
                partitioner,
                partitions,
                sortBufferBytes,
                spillDirectory);
    }

    /**
     * A map task over input in {@code format}, which must yield every field the map function
     * reads ({@link dev.mapreduce.engine.function.FunctionCatalogue#checkFields}).
     */
    public MapTask(
            MapFunction mapFunction,
            LogFormat format,
            ReduceFunction reduceFunction,
            boolean combine,
            Partitioner partitioner,
            int partitions,
            long sortBufferBytes,
            Path spillDirectory) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a job needs at least one reduce partition, got " + partitions);
        }
        this.mapFunction = mapFunction;
        this.format = format;
        this.reduceFunction = reduceFunction;
        this.lineMapper = null;
        this.codec = null;
        this.combine = combine;
        this.partitioner = partitioner;
        this.partitions = partitions;
        this.sortBufferBytes = sortBufferBytes;
        this.spillDirectory = spillDirectory;
    }

    /**
     * A query's map task: {@code mapper} (compiled for this task) folds each line into aggregate
     * states that {@code codec} encodes; keys are partitioned by {@code partitioner}.
     */
    public MapTask(
            LineMapper mapper,
            StateCodec codec,
            boolean combine,
            Partitioner partitioner,
            int partitions,
            long sortBufferBytes,
            Path spillDirectory) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a job needs at least one reduce partition, got " + partitions);
        }
        this.mapFunction = null;
        this.format = null;
        this.reduceFunction = null;
        this.lineMapper = mapper;
        this.codec = codec;
        this.combine = combine;
        this.partitioner = partitioner;
        this.partitions = partitions;
        this.sortBufferBytes = sortBufferBytes;
        this.spillDirectory = spillDirectory;
    }

    /**
     * Runs the task over {@code input}; the caller closes the output.
     *
     * @throws IOException if the input cannot be read or a spill cannot be written or read
     */
    public MapOutput run(LineSource input) throws IOException {
        MapOutputBuffer buffer = codec != null
                ? new MapOutputBuffer(codec, combine, partitioner, partitions, sortBufferBytes, spillDirectory)
                : new MapOutputBuffer(
                        reduceFunction, combine, partitioner, partitions, sortBufferBytes, spillDirectory);
        RecordParser parser = lineMapper == null ? format.newParser(mapFunction.fields()) : null;
        long[] lines = new long[2]; // read, malformed
        MalformedRecords malformed = new MalformedRecords();
        MapRuns runs;
        try {
            // records as the format cuts them: multi-line events, and each file's header line apart
            EventStart events = format != null ? format.eventStart().orElse(null) : lineMapper.eventStart();
            boolean header = format != null ? format.hasHeader() : lineMapper.hasHeader();
            input.forEachRecord(events, header, new LineHandler() {
                private Locator locator;

                @Override
                public void line(byte[] buf, int off, int len) {
                    lines[0]++;
                    if (lineMapper != null) {
                        if (!lineMapper.map(buf, off, len, buffer)) {
                            lines[1]++;
                        }
                        return;
                    }
                    Record record = parser.parse(buf, off, len);
                    if (record == null) {
                        lines[1]++;
                        if (lines[1] <= MalformedRecords.MAX_SAMPLES) {
                            malformed.add(where(), parser.malformedReason(), buf, off, len);
                        }
                    } else {
                        mapFunction.map(record, buffer);
                    }
                }

                @Override
                public void oversizedLine() {
                    lines[0]++;
                    lines[1]++;
                    if (lines[1] <= MalformedRecords.MAX_SAMPLES) {
                        malformed.add(
                                where(),
                                "longer than " + (InputSplit.MAX_LINE_BYTES >> 20) + " MiB",
                                new byte[0],
                                0,
                                0);
                    }
                }

                @Override
                public void locator(Locator locator) {
                    this.locator = locator;
                }

                @Override
                public void header(byte[] buf, int off, int len) {
                    if (parser != null) {
                        parser.header(buf, off, len);
                    } else {
                        lineMapper.header(buf, off, len);
                    }
                }

                private String where() {
                    return locator == null ? null : locator.where();
                }
            });
            runs = buffer.finish();
        } catch (UncheckedIOException e) {
            closeAfterFailure(buffer, e);
            throw e.getCause();
        } catch (IOException | RuntimeException | Error e) {
            closeAfterFailure(buffer, e);
            throw e;
        }
        TaskCounters counters = new TaskCounters(partitions);
        counters.addRecordsRead(lines[0]);
        counters.addMalformed(lines[1]);
        counters.malformedSamples().addAll(malformed);
        counters.addMapOutput(buffer.emitted());
        counters.addCombineOutput(buffer.written());
        for (int p = 0; p < partitions; p++) {
            counters.addShuffleBytes(p, runs.size(p));
        }
        return new MapOutput(runs, counters);
    }

    private static void closeAfterFailure(MapOutputBuffer buffer, Throwable failure) {
        try {
            buffer.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
