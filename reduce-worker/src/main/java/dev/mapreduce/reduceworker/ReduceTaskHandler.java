package dev.mapreduce.reduceworker;

import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.shuffle.CorruptRunException;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.task.TaskCounters;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.InjectedFaultException;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.MissingRunException;
import dev.mapreduce.runtime.OutageWait;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskCancelledException;
import dev.mapreduce.runtime.TaskFailure;
import dev.mapreduce.runtime.TaskHandler;
import dev.mapreduce.runtime.TaskMetrics;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.worker.Failures;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one reduce attempt: streams its partition's runs of the committed map attempts from Redis,
 * merges and reduces them into PostgreSQL in one transaction with the partition's commit record,
 * and reports SUCCEEDED with its counters or FAILED with a one-line reason. Memory does not grow
 * with the runs: each is read a window at a time, its share of the fetch buffer (a run that fits
 * is read whole at once and checked before anything is written). A missing or damaged run, found
 * before or while merging, is reported as FETCH_FAILED naming the map task, so the coordinator
 * can re-run it, and commits nothing; an attempt that is cancelled, or whose job ended meanwhile,
 * commits nothing and reports ABORTED. Redis or PostgreSQL being unreachable does not fail it: it
 * runs again from the fetch as they come back, for up to {@code OUTAGE_WAIT}.
 */
final class ReduceTaskHandler implements TaskHandler {

    private static final Logger log = LoggerFactory.getLogger(ReduceTaskHandler.class);

    private final String workerId;
    private final RunFetcher fetcher;
    private final ResultCommitter committer;
    private final KafkaMessages events;
    private final TaskMetrics metrics;
    private final OutageWait outages;
    private volatile TestFaults faults;

    ReduceTaskHandler(
            String workerId,
            ShuffleStore shuffleStore,
            int fetchBufferBytes,
            ResultCommitter committer,
            KafkaMessages events,
            TaskMetrics metrics,
            OutageWait outages,
            TestFaults faults) {
        this.workerId = workerId;
        this.fetcher = new RunFetcher(shuffleStore, fetchBufferBytes, metrics);
        this.committer = committer;
        this.events = events;
        this.metrics = metrics;
        this.outages = outages;
        this.faults = faults;
    }

    /** Replaces the injected faults of the running worker: for tests that share one worker. */
    void injectFaults(TestFaults faults) {
        faults.announce(workerId);
        this.faults = faults;
    }

    @Override
    public void start(TaskMessage task) {
        events.send(TaskEvent.started(task, workerId));
    }

    @Override
    public void run(TaskMessage task, Cancellation cancellation) {
        metrics.started();
        log.info(
                "reduce task {} started: partition {}, {} map runs",
                task.attemptName(),
                task.taskIndex(),
                task.mapRuns().size());
        long start = System.nanoTime();
        TestFaults faults = this.faults;
        try {
            faults.beforeWork(task, cancellation);
            TaskCounters counters =
                    outages.run(task.attemptName(), cancellation, () -> reduce(task, cancellation, faults));
            AttemptCounters attemptCounters = AttemptCounters.of(counters);
            Duration took = metrics.completed(start, attemptCounters);
            log.info(
                    "reduce task {} succeeded in {} ms: {} records merged, {} rows committed",
                    task.attemptName(),
                    took.toMillis(),
                    counters.reduceInputRecords(),
                    counters.outputRecords());
            events.report(TaskEvent.succeeded(task, workerId, attemptCounters), outages, cancellation);
        } catch (TaskCancelledException e) {
            Duration took = metrics.aborted(start);
            log.info(
                    "reduce task {} aborted after {} ms, nothing committed: {}",
                    task.attemptName(),
                    took.toMillis(),
                    e.getMessage());
            events.report(TaskEvent.aborted(task, workerId, e.getMessage()), outages, cancellation);
        } catch (TaskFailure.Superseded e) {
            Duration took = metrics.failed(start);
            log.info(
                    "reduce task {} wrote nothing after {} ms: {}",
                    task.attemptName(),
                    took.toMillis(),
                    e.getMessage());
            events.report(TaskEvent.failed(task, workerId, e.getMessage()), outages, cancellation);
        } catch (FetchFailure e) {
            Duration took = metrics.failed(start);
            log.warn(
                    "reduce task {} could not fetch after {} ms: {}",
                    task.attemptName(),
                    took.toMillis(),
                    e.getMessage());
            events.report(
                    TaskEvent.fetchFailed(task, workerId, e.mapTask(), Failures.describe(e)), outages, cancellation);
        } catch (TaskFailure | InjectedFaultException e) {
            fail(task, cancellation, start, e, false);
        } catch (SQLException | RuntimeException e) {
            fail(task, cancellation, start, e, true);
        }
    }

    /** Fetches the partition's runs, reduces them and commits the rows: from the start again after an outage. */
    private TaskCounters reduce(TaskMessage task, Cancellation cancellation, TestFaults faults) throws SQLException {
        committer.requireRunning(task.jobId());
        long workStart = System.nanoTime();
        ReduceFunction function = task.query() == null ? FunctionCatalogue.reduceFunction(task.reduceFunction()) : null;
        List<RunReader> runs = fetcher.open(task);
        long commitStart = System.nanoTime();
        Runnable beforeCommit = () -> faults.afterWork(Duration.ofNanos(System.nanoTime() - workStart), cancellation);
        try {
            TaskCounters counters = function == null
                    ? committer.commitQuery(task, workerId, runs, cancellation, beforeCommit)
                    : committer.commit(task, workerId, function, runs, cancellation, beforeCommit);
            metrics.committed(Duration.ofNanos(System.nanoTime() - commitStart), counters.outputRecords());
            return counters;
        } catch (MissingRunException e) {
            throw RunFetcher.missing(e);
        } catch (CorruptRunException e) {
            throw RunFetcher.corrupt(task, e.source(), e);
        }
    }

    private void fail(TaskMessage task, Cancellation cancellation, long start, Exception e, boolean withStackTrace) {
        Duration took = metrics.failed(start);
        String reason = Failures.describe(e);
        if (withStackTrace) {
            log.warn("reduce task {} failed after {} ms: {}", task.attemptName(), took.toMillis(), reason, e);
        } else {
            log.warn("reduce task {} failed after {} ms: {}", task.attemptName(), took.toMillis(), reason);
        }
        events.report(TaskEvent.failed(task, workerId, reason), outages, cancellation);
    }
}
