package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job state machine, driven by task events. Each event is applied in one transaction that
 * locks the job and the task; an event from an attempt the coordinator does not trust, or for a
 * task that already completed, changes nothing but that attempt's own record. Kafka messages and
 * Redis clean-up happen after the transaction commits.
 */
@Service
class TaskEventProcessor {

    private static final Logger log = LoggerFactory.getLogger(TaskEventProcessor.class);

    /** What to do once the event's transaction committed. */
    private record Outcome(boolean mapPhaseDone, UUID finishedJob, Duration took, boolean failed) {
        static final Outcome NOTHING = new Outcome(false, null, null, false);
    }

    private final JobStore store;
    private final TransactionTemplate tx;
    private final KafkaMessages kafka;
    private final ShuffleStore shuffle;
    private final CoordinatorMetrics metrics;

    TaskEventProcessor(
            JobStore store,
            TransactionTemplate tx,
            KafkaMessages kafka,
            ShuffleStore shuffle,
            CoordinatorMetrics metrics) {
        this.store = store;
        this.tx = tx;
        this.kafka = kafka;
        this.shuffle = shuffle;
        this.metrics = metrics;
    }

    void process(TaskEvent event) {
        Outcome outcome = tx.execute(s -> apply(event));
        if (outcome == null) {
            return;
        }
        if (outcome.mapPhaseDone()) {
            startReducePhase(event.jobId());
        }
        if (outcome.finishedJob() != null) {
            if (outcome.failed()) {
                metrics.jobFailed();
            } else {
                metrics.jobCompleted(outcome.took());
            }
            cleanUp(outcome.finishedJob());
        }
    }

    private Outcome apply(TaskEvent e) {
        Optional<JobRow> maybeJob = store.lockJob(e.jobId());
        Optional<JobStore.TaskRow> maybeTask = store.lockTask(e.jobId(), e.type(), e.taskIndex());
        Optional<String> attemptStatus = store.attemptStatus(e.jobId(), e.type(), e.taskIndex(), e.attempt());
        if (maybeJob.isEmpty() || maybeTask.isEmpty() || attemptStatus.isEmpty()) {
            log.debug("ignoring an event for an unknown job, task or attempt: {}", e);
            return Outcome.NOTHING;
        }
        JobRow job = maybeJob.get();
        JobStore.TaskRow task = maybeTask.get();
        store.seenWorker(e.workerId(), e.type());
        Instant at = e.at() == null ? Instant.now() : e.at();
        return switch (e.kind()) {
            case STARTED -> {
                if (!job.status().isFinal()) {
                    store.attemptStarted(e.jobId(), e.type(), e.taskIndex(), e.attempt(), e.workerId(), at);
                }
                yield Outcome.NOTHING;
            }
            case SUCCEEDED -> succeeded(e, job, task, at);
            case FAILED -> failed(e, job, task, at);
            case FETCH_FAILED, ABORTED, HEARTBEAT -> Outcome.NOTHING;
        };
    }

    private Outcome succeeded(TaskEvent e, JobRow job, JobStore.TaskRow task, Instant at) {
        boolean trusted =
                !job.status().isFinal() && !"COMPLETED".equals(task.status()) && e.attempt() == task.currentAttempt();
        if (trusted && e.type() == TaskType.REDUCE) {
            Optional<Integer> committed = store.reduceCommit(e.jobId(), e.taskIndex());
            if (committed.isEmpty()) {
                log.warn("ignoring {}: the reduce attempt reports success but committed nothing", e);
                return Outcome.NOTHING;
            }
            trusted = committed.get() == e.attempt();
        }
        if (!trusted) {
            store.attemptFinished(
                    e.jobId(),
                    e.type(),
                    e.taskIndex(),
                    e.attempt(),
                    e.workerId(),
                    "SUPERSEDED",
                    e.counters(),
                    null,
                    at);
            return Outcome.NOTHING;
        }
        store.attemptFinished(
                e.jobId(), e.type(), e.taskIndex(), e.attempt(), e.workerId(), "SUCCEEDED", e.counters(), null, at);
        store.taskCompleted(e.jobId(), e.type(), e.taskIndex(), e.attempt(), e.counters());
        metrics.taskCommitted(e.type());
        if (store.unfinishedTasks(e.jobId(), e.type()) > 0) {
            return Outcome.NOTHING;
        }
        if (e.type() == TaskType.MAP) {
            store.moveJob(e.jobId(), JobStatus.MAP_COMPLETED, JobStatus.PENDING, JobStatus.RUNNING);
            return new Outcome(true, null, null, false);
        }
        store.moveJob(e.jobId(), JobStatus.COMPLETED, JobStatus.REDUCE_RUNNING);
        log.info("job {} completed", e.jobId());
        return new Outcome(false, e.jobId(), Duration.between(createdAt(e.jobId()), Instant.now()), false);
    }

    private Outcome failed(TaskEvent e, JobRow job, JobStore.TaskRow task, Instant at) {
        boolean trusted =
                !job.status().isFinal() && !"COMPLETED".equals(task.status()) && e.attempt() == task.currentAttempt();
        store.attemptFinished(
                e.jobId(),
                e.type(),
                e.taskIndex(),
                e.attempt(),
                e.workerId(),
                trusted ? "FAILED" : "SUPERSEDED",
                e.counters(),
                e.error(),
                at);
        if (!trusted) {
            return Outcome.NOTHING;
        }
        String error = e.type().tag() + " task " + e.taskIndex() + " (attempt " + e.attempt() + ", worker "
                + e.workerId() + ") failed: " + e.error();
        store.taskFailed(e.jobId(), e.type(), e.taskIndex(), e.error());
        store.failJob(e.jobId(), error);
        log.warn("job {} failed: {}", e.jobId(), error);
        return new Outcome(false, e.jobId(), null, true);
    }

    /** Creates and dispatches the reduce tasks of a job whose map phase just completed. */
    void startReducePhase(UUID jobId) {
        List<TaskMessage> reduces = tx.execute(s -> {
            Optional<JobRow> maybeJob = store.lockJob(jobId);
            if (maybeJob.isEmpty() || maybeJob.get().status() != JobStatus.MAP_COMPLETED) {
                return List.<TaskMessage>of();
            }
            JobRow job = maybeJob.get();
            List<MapRunRef> maps = store.committedMaps(jobId);
            store.insertReduceTasks(jobId, job.numReducers());
            store.moveJob(jobId, JobStatus.REDUCE_RUNNING, JobStatus.MAP_COMPLETED);
            List<TaskMessage> messages = new ArrayList<>(job.numReducers());
            for (int p = 0; p < job.numReducers(); p++) {
                messages.add(job.reduceTask(p, 1, maps));
            }
            return messages;
        });
        if (reduces == null || reduces.isEmpty()) {
            return;
        }
        try {
            kafka.sendAll(reduces);
        } catch (RuntimeException ex) {
            tx.executeWithoutResult(
                    s -> store.failJob(jobId, "could not dispatch the reduce tasks: " + ex.getMessage()));
            metrics.jobFailed();
            cleanUp(jobId);
        }
    }

    private Instant createdAt(UUID jobId) {
        return store.createdAt(jobId);
    }

    private void cleanUp(UUID jobId) {
        try {
            long keys = shuffle.deleteJob(jobId);
            log.info("job {}: deleted {} shuffle keys", jobId, keys);
        } catch (RuntimeException ex) {
            log.warn(
                    "job {}: could not delete its shuffle keys (they expire with their TTL): {}",
                    jobId,
                    ex.getMessage());
        }
    }
}
