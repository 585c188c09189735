package dev.mapreduce.mapworker;

import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.MapFunction;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.InputRoot;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.engine.partition.Murmur3Partitioner;
import dev.mapreduce.engine.shuffle.RunSource;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.engine.sql.FormatReader;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.MapOutput;
import dev.mapreduce.engine.task.MapTask;
import dev.mapreduce.engine.task.TaskCounters;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.InjectedFaultException;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.KafkaRangeReaders;
import dev.mapreduce.runtime.KafkaRangeSource;
import dev.mapreduce.runtime.OutageWait;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskCancelledException;
import dev.mapreduce.runtime.TaskHandler;
import dev.mapreduce.runtime.TaskMetrics;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.s3.S3Store;
import dev.mapreduce.runtime.worker.Failures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one map attempt: reads exactly its offset ranges (or its file splits) in the job's format (multi-line events
 * and header lines as {@code mr local} reads them), maps, combines, partitions and sorts with
 * the engine (spilling to the worker's spill folder past the sort buffer, and deleting the spills when the attempt
 * ends, however it ends), stores one run per reduce partition under the attempt's own Redis keys, and reports
 * SUCCEEDED with its counters and first malformed records, FAILED with a one-line reason, or ABORTED when cancelled (a
 * cancelled attempt stores nothing). Redis or Kafka being unreachable does not fail it: it runs again as they come
 * back, for up to {@code OUTAGE_WAIT}.
 */
final class MapTaskHandler implements TaskHandler {

    private static final Logger log = LoggerFactory.getLogger(MapTaskHandler.class);

    private final MapWorkerProperties properties;
    private final ShuffleStore shuffleStore;
    private final KafkaMessages events;
    private final TaskMetrics metrics;
    private final InputRoot inputRoot;
    private final KafkaRangeReaders inputReaders;
    private final Path spillFolder;
    private final S3Store objectStore;
    private final OutageWait outages;
    private volatile TestFaults faults;

    MapTaskHandler(
            MapWorkerProperties properties,
            ShuffleStore shuffleStore,
            KafkaRangeReaders inputReaders,
            KafkaMessages events,
            TaskMetrics metrics,
            S3Store objectStore) {
        this.properties = properties;
        this.objectStore = objectStore;
        this.shuffleStore = shuffleStore;
        this.inputReaders = inputReaders;
        this.events = events;
        this.metrics = metrics;
        this.inputRoot = new InputRoot(Path.of(properties.inputRoot()));
        this.faults = properties.testFaults();
        this.spillFolder = properties.spillFolder();
        this.outages = new OutageWait(properties.outageWait());
    }

    /** Replaces the injected faults of the running worker: for tests that share one worker. */
    void injectFaults(TestFaults faults) {
        faults.announce(properties.workerId());
        this.faults = faults;
    }

    @Override
    public void start(TaskMessage task) {
        events.send(TaskEvent.started(task, properties.workerId()));
    }

    @Override
    public void run(TaskMessage task, Cancellation cancellation) {
        String workerId = properties.workerId();
        metrics.started();
        if (task.inputTopic() == null) {
            log.info(
                    "map task {} started: {} bytes in {} file splits",
                    task.attemptName(),
                    task.files().stream().mapToLong(FileSplit::length).sum(),
                    task.files().size());
        } else {
            log.info(
                    "map task {} started: {} records of topic {}",
                    task.attemptName(),
                    task.ranges().stream().mapToLong(OffsetRange::count).sum(),
                    task.inputTopic());
        }
        long start = System.nanoTime();
        TestFaults faults = this.faults;
        try {
            faults.beforeWork(task, cancellation);
            TaskCounters taskCounters =
                    outages.run(task.attemptName(), cancellation, () -> execute(task, cancellation, faults));
            AttemptCounters counters = AttemptCounters.of(taskCounters);
            Duration took = metrics.completed(start, counters);
            log.info(
                    "map task {} succeeded in {} ms: {} records read, {} malformed, {} entries, {} shuffle bytes",
                    task.attemptName(),
                    took.toMillis(),
                    counters.recordsRead(),
                    counters.malformedRecords(),
                    counters.combineOutputRecords(),
                    counters.shuffleBytes());
            events.report(
                    TaskEvent.succeeded(
                            task,
                            workerId,
                            counters,
                            taskCounters.malformedSamples().samples()),
                    outages,
                    cancellation);
        } catch (TaskCancelledException e) {
            Duration took = metrics.aborted(start);
            log.info("map task {} aborted after {} ms: {}", task.attemptName(), took.toMillis(), e.getMessage());
            events.report(TaskEvent.aborted(task, workerId, e.getMessage()), outages, cancellation);
        } catch (IOException | RuntimeException e) {
            Duration took = metrics.failed(start);
            String reason = Failures.describe(e);
            if (e instanceof InjectedFaultException) {
                log.warn("map task {} failed after {} ms: {}", task.attemptName(), took.toMillis(), reason);
            } else {
                log.warn("map task {} failed after {} ms: {}", task.attemptName(), took.toMillis(), reason, e);
            }
            events.report(TaskEvent.failed(task, workerId, reason), outages, cancellation);
        }
    }

    private TaskCounters execute(TaskMessage task, Cancellation cancellation, TestFaults faults) throws IOException {
        long start = System.nanoTime();
        if (task.query() != null) {
            return store(task, queryMapTask(task).run(input(task, cancellation)), false, start, cancellation, faults);
        }
        MapFunction map = FunctionCatalogue.mapFunction(task.mapFunction(), task.parameters());
        ReduceFunction reduce = FunctionCatalogue.reduceFunction(task.reduceFunction());
        // The gateway and the coordinator checked the format; a message that slipped past them fails the attempt.
        LogFormat format = Formats.compile(task.formatOrDefault());
        FunctionCatalogue.checkFields(task.mapFunction(), map, format);
        MapTask mapTask = new MapTask(
                map,
                format,
                reduce,
                task.combiner(),
                Murmur3Partitioner.INSTANCE,
                task.numReducers(),
                properties.sortBuffer().toBytes(),
                spillFolder);
        return store(task, mapTask.run(input(task, cancellation)), reduce.usesCount(), start, cancellation, faults);
    }

    /**
     * A query job's map: the query compiled for this attempt (its evaluators, state codec and
     * partitioner), reading only the fields it names. The gateway and the coordinator validated the
     * query; one that does not parse here fails the attempt.
     */
    private MapTask queryMapTask(TaskMessage task) {
        SqlQuery query = SqlQuery.parse(task.query(), QuerySchema.of(Formats.compile(task.formatOrDefault())));
        SqlQuery.Task compiled = query.compile();
        return new MapTask(
                compiled.mapper(FormatReader.of(query)),
                compiled.codec(),
                task.combiner(),
                compiled.partitioner(),
                task.numReducers(),
                properties.sortBuffer().toBytes(),
                spillFolder);
    }

    /**
     * Stores the attempt's runs, one per partition (an empty one where it has no keys, flagged as its
     * job's runs are: counts for a function that uses them, states for a query).
     */
    private TaskCounters store(
            TaskMessage task,
            MapOutput mapOutput,
            boolean withCount,
            long start,
            Cancellation cancellation,
            TestFaults faults)
            throws IOException {
        try (MapOutput output = mapOutput) {
            // An empty run, not a missing key: a reducer must tell "no keys for me" from "lost".
            RunWriter emptyWriter = task.query() != null ? RunWriter.ofStates() : new RunWriter(withCount);
            RunSource empty = RunSource.of(emptyWriter.finish());
            List<RunSource> runs = new ArrayList<>(task.numReducers());
            long bytes = 0;
            for (int p = 0; p < task.numReducers(); p++) {
                RunSource run = output.runs().has(p) ? output.runs().run(p) : empty;
                runs.add(run);
                bytes += run.size();
            }
            faults.afterWork(Duration.ofNanos(System.nanoTime() - start), cancellation);
            cancellation.throwIfCancelled(); // a cancelled attempt stores nothing
            long writeStart = System.nanoTime();
            shuffleStore.writeRuns(task.jobId(), task.taskIndex(), task.attempt(), runs, properties.shuffleTtl());
            metrics.shuffleWritten(Duration.ofNanos(System.nanoTime() - writeStart), bytes);
            return output.counters();
        }
    }

    /** A job over files has no input topic. */
    private LineSource input(TaskMessage task, Cancellation cancellation) {
        if (task.inputTopic() == null) {
            return new FileSplitSource(inputRoot, objectStore, task.files(), cancellation);
        }
        return new KafkaRangeSource(
                inputReaders, task.inputTopic(), task.ranges(), properties.kafkaStallTimeout(), cancellation);
    }
}
