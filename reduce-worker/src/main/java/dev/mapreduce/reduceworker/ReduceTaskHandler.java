package dev.mapreduce.reduceworker;

import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.shuffle.CorruptRunException;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.task.TaskCounters;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.MissingRunException;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskHandler;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one reduce attempt: fetches its partition's runs of the committed map attempts, merges and
 * reduces them into PostgreSQL in one transaction with the partition's commit record, and reports
 * STARTED, then SUCCEEDED with its counters or FAILED with a one-line reason. A missing or damaged
 * run is reported as {@code fetch failed: … map task N …} so the coordinator can re-run that map task.
 */
final class ReduceTaskHandler implements TaskHandler {

    private static final Logger log = LoggerFactory.getLogger(ReduceTaskHandler.class);

    private final String workerId;
    private final ShuffleStore shuffleStore;
    private final ResultCommitter committer;
    private final KafkaMessages events;
    private final TaskMetrics metrics;

    ReduceTaskHandler(
            String workerId,
            ShuffleStore shuffleStore,
            ResultCommitter committer,
            KafkaMessages events,
            TaskMetrics metrics) {
        this.workerId = workerId;
        this.shuffleStore = shuffleStore;
        this.committer = committer;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void run(TaskMessage task) {
        metrics.started();
        report(TaskEvent.started(task, workerId));
        log.info(
                "reduce task {} started: partition {}, {} map runs",
                task.attemptName(),
                task.taskIndex(),
                task.mapRuns().size());
        long start = System.nanoTime();
        try {
            ReduceFunction function = FunctionCatalogue.reduceFunction(task.reduceFunction());
            List<byte[]> runs = fetch(task);
            TaskCounters counters = committer.commit(task, workerId, function, runs);
            Duration took = metrics.completed(start);
            log.info(
                    "reduce task {} succeeded in {} ms: {} records merged, {} rows committed",
                    task.attemptName(),
                    took.toMillis(),
                    counters.reduceInputRecords(),
                    counters.outputRecords());
            report(TaskEvent.succeeded(task, workerId, AttemptCounters.of(counters)));
        } catch (TaskFailure.Superseded e) {
            Duration took = metrics.failed(start);
            log.info(
                    "reduce task {} wrote nothing after {} ms: {}",
                    task.attemptName(),
                    took.toMillis(),
                    e.getMessage());
            report(TaskEvent.failed(task, workerId, e.getMessage()));
        } catch (TaskFailure e) {
            fail(task, start, e, false);
        } catch (SQLException | RuntimeException e) {
            fail(task, start, e, true);
        }
    }

    private void fail(TaskMessage task, long start, Exception e, boolean withStackTrace) {
        Duration took = metrics.failed(start);
        String reason = Failures.describe(e);
        if (withStackTrace) {
            log.warn("reduce task {} failed after {} ms: {}", task.attemptName(), took.toMillis(), reason, e);
        } else {
            log.warn("reduce task {} failed after {} ms: {}", task.attemptName(), took.toMillis(), reason);
        }
        report(TaskEvent.failed(task, workerId, reason));
    }

    /** The partition's runs, each checked whole before anything is written. */
    private List<byte[]> fetch(TaskMessage task) {
        List<byte[]> runs;
        try {
            runs = shuffleStore.fetchRuns(task.jobId(), task.taskIndex(), task.mapRuns());
        } catch (MissingRunException e) {
            throw new TaskFailure("fetch failed: " + e.getMessage(), e);
        }
        for (int i = 0; i < runs.size(); i++) {
            try {
                new RunReader(runs.get(i));
            } catch (CorruptRunException e) {
                throw new TaskFailure(
                        "fetch failed: shuffle run of map task "
                                + task.mapRuns().get(i).mapTask() + " is corrupt (" + e.getMessage() + ")",
                        e);
            }
        }
        return runs;
    }

    /** A lost event is not retried here: the coordinator notices a silent worker through heartbeats. */
    private void report(TaskEvent event) {
        try {
            events.send(event);
        } catch (RuntimeException e) {
            log.warn(
                    "cannot report {} of reduce task {}/reduce-{}#{}: {}",
                    event.kind(),
                    event.jobId(),
                    event.taskIndex(),
                    event.attempt(),
                    e.getMessage());
        }
    }
}
