package dev.mapreduce.coordinator.task;

import dev.mapreduce.coordinator.Effects;
import dev.mapreduce.coordinator.SchedulerSettings;
import dev.mapreduce.coordinator.event.EventBatch;
import dev.mapreduce.coordinator.event.HeldAttempt;
import dev.mapreduce.coordinator.event.HeldTask;
import dev.mapreduce.coordinator.event.TaskKey;
import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a task does after its attempt's change ({@link TaskTransitions.Then}), and how its job moves:
 * the one success transition ({@link #commit}), the end of a phase, a counted failure's retry, a
 * lost map run's recovery, a lost attempt's new run. Runs in the caller's transaction, under the
 * scheduling lock; what it produces goes into the change's {@link Effects}.
 */
public final class TaskLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskLifecycle.class);

    private final JobStore store;
    private final TaskStore tasks;
    private final AttemptStore attempts;
    private final JdbcTemplate jdbc;
    private final SchedulerSettings settings;

    public TaskLifecycle(
            JobStore store, TaskStore tasks, AttemptStore attempts, JdbcTemplate jdbc, SchedulerSettings settings) {
        this.store = store;
        this.tasks = tasks;
        this.attempts = attempts;
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /**
     * The success transition, the only one: the task is completed by {@code attempt}, its other live
     * attempts are superseded and told to stop, and the job moves on when it was the phase's last task.
     */
    public void commit(EventBatch batch, JobRow job, TaskKey key, int attempt, AttemptCounters counters, Effects fx) {
        int unfinished = batch.completed(batch.task(key), attempt, counters);
        fx.committed(key.type());
        for (HeldAttempt other : batch.liveAttempts(key)) {
            batch.ended(other, AttemptStatus.SUPERSEDED, "attempt " + attempt + " committed first");
            fx.controls.add(
                    ControlMessage.cancelAttempt(new AttemptRef(key.jobId(), key.type(), key.index(), other.number)));
        }
        if (unfinished <= 0) {
            batch.flushAndClear();
            phaseCheck(job, key.type(), fx);
        }
    }

    void phaseCheck(JobRow job, TaskType type, Effects fx) {
        UUID jobId = job.jobId();
        if (tasks.unfinishedTasks(jobId, type) > 0) {
            return;
        }
        if (type == TaskType.MAP) {
            if (job.status() == JobStatus.PENDING || job.status() == JobStatus.RUNNING) {
                // every map task read its input once: a wrong format shows now, before any reduce runs
                String tooMalformed = tasks.tooMalformed(jobId);
                if (tooMalformed != null) {
                    failJob(jobId, tooMalformed, fx);
                    return;
                }
            }
            fx.wake(TaskType.REDUCE); // reduce tasks wait for every map task
            if (store.moveJob(jobId, JobStatus.MAP_COMPLETED, JobStatus.PENDING, JobStatus.RUNNING)) {
                startReducePhase(job.jobId(), job.numReducers(), fx);
            } else if (job.status() == JobStatus.REDUCE_RUNNING) {
                // lost map output was recomputed: the reduces that waited for it run now
                for (int p : tasks.waitingReduces(jobId)) {
                    dispatchNew(job, TaskType.REDUCE, p, fx);
                }
            }
            return;
        }
        if (store.moveJob(jobId, JobStatus.COMPLETED, JobStatus.REDUCE_RUNNING)) {
            if (job.query() != null) {
                store.finishQueryResults(jobId, job.sqlQuery());
            }
            log.info("job {} completed", jobId);
            fx.completedJobs.add(Duration.between(store.createdAt(jobId), Instant.now()));
            fx.cleanUp.add(jobId);
        }
    }

    /**
     * A reduce partition may have been committed by an attempt whose success never arrived (its
     * worker died right after the commit): the commit row is the truth. Returns whether the task
     * is complete.
     */
    public boolean reconcileReduce(JobRow job, int partition, Effects fx) {
        Optional<long[]> commit = store.reduceCommitRow(job.jobId(), partition);
        if (commit.isEmpty()) {
            return false;
        }
        TaskKey key = new TaskKey(job.jobId(), TaskType.REDUCE, partition);
        EventBatch batch = new EventBatch(jdbc);
        batch.loadTasks(List.of(key));
        HeldTask task = batch.task(key);
        if (task.status == TaskStatus.COMPLETED) {
            return true;
        }
        int attempt = (int) commit.get()[0];
        HeldAttempt winner = batch.attempt(key, attempt);
        if (winner != null && winner.status.isLive()) {
            batch.ended(winner, AttemptStatus.SUCCEEDED, null);
        }
        log.info(
                "job {}: reduce {} was committed by attempt {}, whose report was lost",
                job.jobId(),
                partition,
                attempt);
        commit(batch, job, key, attempt, new AttemptCounters(0, 0, 0, 0, 0, 0, commit.get()[1]), fx);
        batch.flush();
        return true;
    }

    /** A counted failure: the task waits for its backup attempt, retries after a backoff, or fails its job. */
    public void retryOrFail(TaskEvent e, JobRow job, TaskStore.TaskRow task, Effects fx) {
        if (e.type() == TaskType.REDUCE && reconcileReduce(job, e.taskIndex(), fx)) {
            return;
        }
        tasks.addFailure(e.jobId(), e.type(), e.taskIndex(), e.workerId());
        int failures = task.failures() + 1;
        boolean backupLive =
                !attempts.liveAttempts(e.jobId(), e.type(), e.taskIndex()).isEmpty();
        switch (TaskTransitions.afterFailure(failures, settings.maxAttempts(), backupLive)) {
            case WAIT_FOR_BACKUP -> {}
            case FAIL_JOB -> {
                String error = e.type().tag() + " task " + e.taskIndex() + " failed " + failures
                        + " times; last (attempt " + e.attempt() + " on " + e.workerId() + "): " + e.error();
                tasks.taskFailed(e.jobId(), e.type(), e.taskIndex(), e.error());
                failJob(job.jobId(), error, fx);
            }
            case RETRY -> {
                Duration backoff = settings.backoff(failures);
                log.info(
                        "job {}: {} failed (failure {} of {}), retrying in {} ms: {}",
                        job.jobId(),
                        e.attemptRef(),
                        failures,
                        settings.maxAttempts(),
                        backoff.toMillis(),
                        e.error());
                tasks.taskPending(
                        e.jobId(), e.type(), e.taskIndex(), Instant.now().plus(backoff));
            }
        }
    }

    public void failJob(UUID jobId, String error, Effects fx) {
        store.failJob(jobId, error);
        fx.wakeAll(); // its slots are free
        log.warn("job {} failed: {}", jobId, error);
        fx.failedJobs++;
        fx.cleanUp.add(jobId);
        fx.controls.add(ControlMessage.cancelJob(jobId));
    }

    /**
     * A reduce could not read a map run: every committed map task whose run of this partition is
     * gone runs again (not only the one named), then the reduce. {@code gone}: the committed runs
     * Redis did not have, asked before this transaction ({@link ApplyTaskEvents#lostRuns}); one
     * committed again since is left alone.
     */
    public void recoverLineage(TaskEvent e, JobRow job, List<MapRunRef> gone, Effects fx) {
        if (e.type() != TaskType.REDUCE
                || reconcileReduce(job, e.taskIndex(), fx)
                || !attempts.liveAttempts(e.jobId(), e.type(), e.taskIndex()).isEmpty()) {
            return;
        }
        tasks.taskPending(e.jobId(), TaskType.REDUCE, e.taskIndex(), null);
        List<MapRunRef> committed = tasks.committedMaps(job.jobId()).stream()
                .filter(m -> m.attempt() > 0)
                .toList();
        Set<Integer> lost = new HashSet<>();
        for (MapRunRef run : gone) {
            if (committed.contains(run)) {
                lost.add(run.mapTask());
            }
        }
        if (e.lostMapTask() != null) {
            lost.add(e.lostMapTask());
        }
        for (int m : lost) {
            TaskStore.TaskRow map = tasks.lockTask(job.jobId(), TaskType.MAP, m).orElseThrow();
            if (map.status() != TaskStatus.COMPLETED) {
                continue; // already running again
            }
            if (store.lineageRecoveries(job.jobId()) >= settings.maxLineageRecoveries()) {
                failJob(
                        job.jobId(),
                        "shuffle data was lost " + settings.maxLineageRecoveries()
                                + " times (is Redis evicting or restarting?); last: " + e.error(),
                        fx);
                return;
            }
            log.info("job {}: the run of map task {} is lost ({}); running it again", job.jobId(), m, e.error());
            tasks.reopenMapTask(job.jobId(), m);
            dispatchNew(job, TaskType.MAP, m, fx);
        }
        if (tasks.unfinishedTasks(job.jobId(), TaskType.MAP) == 0) {
            // the runs are all there again (recomputed meanwhile): just run the reduce again
            dispatchNew(job, TaskType.REDUCE, e.taskIndex(), fx);
        }
    }

    /**
     * A task lost its attempt through no fault of its own: it runs again, not counted as a failure,
     * unless another attempt of it is still live.
     */
    public void runAgain(JobRow job, AttemptRef ref, Effects fx) {
        if (!attempts.liveAttempts(ref.jobId(), ref.type(), ref.taskIndex()).isEmpty()) {
            return;
        }
        if (ref.type() == TaskType.REDUCE && reconcileReduce(job, ref.taskIndex(), fx)) {
            return;
        }
        if (ref.type() == TaskType.REDUCE && tasks.unfinishedTasks(ref.jobId(), TaskType.MAP) > 0) {
            tasks.taskPending(ref.jobId(), ref.type(), ref.taskIndex(), null);
            return;
        }
        dispatchNew(job, ref.type(), ref.taskIndex(), fx);
    }

    /** The task waits for a slot for its next attempt; the change's dispatch pass gives it one if it can. */
    void dispatchNew(JobRow job, TaskType type, int index, Effects fx) {
        tasks.taskReady(job.jobId(), type, index);
        fx.wake(type);
    }

    /** Creates the reduce tasks of a job whose map phase just completed; they wait for slots. */
    public void startReducePhase(UUID jobId, int numReducers, Effects fx) {
        tasks.insertReduceTasks(jobId, numReducers);
        store.moveJob(jobId, JobStatus.REDUCE_RUNNING, JobStatus.MAP_COMPLETED);
        store.notifyChanged(jobId);
        fx.wake(TaskType.REDUCE);
    }
}
