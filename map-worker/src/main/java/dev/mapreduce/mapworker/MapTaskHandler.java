package dev.mapreduce.mapworker;

import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.MapFunction;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.partition.Murmur3Partitioner;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.engine.task.MapOutput;
import dev.mapreduce.engine.task.MapTask;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.KafkaRangeSource;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskHandler;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one map attempt: reads exactly its offset ranges, maps, combines, partitions and sorts with
 * the engine, stores one run per reduce partition under the attempt's own Redis keys, and reports
 * STARTED, then SUCCEEDED with its counters or FAILED with a one-line reason.
 */
final class MapTaskHandler implements TaskHandler {

    private static final Logger log = LoggerFactory.getLogger(MapTaskHandler.class);

    private final MapWorkerProperties properties;
    private final ShuffleStore shuffleStore;
    private final KafkaMessages events;
    private final TaskMetrics metrics;

    MapTaskHandler(
            MapWorkerProperties properties, ShuffleStore shuffleStore, KafkaMessages events, TaskMetrics metrics) {
        this.properties = properties;
        this.shuffleStore = shuffleStore;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void run(TaskMessage task) {
        String workerId = properties.workerId();
        metrics.started();
        report(TaskEvent.started(task, workerId));
        log.info(
                "map task {} started: {} records of topic {}",
                task.attemptName(),
                task.ranges().stream().mapToLong(OffsetRange::count).sum(),
                task.inputTopic());
        long start = System.nanoTime();
        try {
            AttemptCounters counters = execute(task);
            Duration took = metrics.completed(start);
            log.info(
                    "map task {} succeeded in {} ms: {} records read, {} malformed, {} entries, {} shuffle bytes",
                    task.attemptName(),
                    took.toMillis(),
                    counters.recordsRead(),
                    counters.malformedRecords(),
                    counters.combineOutputRecords(),
                    counters.shuffleBytes());
            report(TaskEvent.succeeded(task, workerId, counters));
        } catch (IOException | RuntimeException e) {
            Duration took = metrics.failed(start);
            String reason = Failures.describe(e);
            log.warn("map task {} failed after {} ms: {}", task.attemptName(), took.toMillis(), reason, e);
            report(TaskEvent.failed(task, workerId, reason));
        }
    }

    private AttemptCounters execute(TaskMessage task) throws IOException {
        MapFunction map = FunctionCatalogue.mapFunction(task.mapFunction(), task.parameters());
        ReduceFunction reduce = FunctionCatalogue.reduceFunction(task.reduceFunction());
        MapOutput output = new MapTask(
                        map,
                        reduce,
                        task.combiner(),
                        Murmur3Partitioner.INSTANCE,
                        task.numReducers(),
                        properties.sortBuffer().toBytes())
                .run(new KafkaRangeSource(
                        properties.kafkaBootstrapServers(),
                        task.inputTopic(),
                        task.ranges(),
                        properties.kafkaStallTimeout()));
        byte[][] runs = output.runs();
        long bytes = 0;
        for (int p = 0; p < runs.length; p++) {
            // An empty run, not a missing key: a reducer must tell "no keys for me" from "lost".
            if (runs[p] == null) {
                runs[p] = new RunWriter(reduce.usesCount()).finish();
            }
            bytes += runs[p].length;
        }
        shuffleStore.writeRuns(task.jobId(), task.taskIndex(), task.attempt(), runs, properties.shuffleTtl());
        metrics.shuffleBytes(bytes);
        return AttemptCounters.of(output.counters());
    }

    /** A lost event is not retried here: the coordinator notices a silent worker through heartbeats. */
    private void report(TaskEvent event) {
        try {
            events.send(event);
        } catch (RuntimeException e) {
            log.warn("cannot report {} of map task {}: {}", event.kind(), attemptName(event), e.getMessage());
        }
    }

    private static String attemptName(TaskEvent event) {
        return event.jobId() + "/map-" + event.taskIndex() + "#" + event.attempt();
    }
}
