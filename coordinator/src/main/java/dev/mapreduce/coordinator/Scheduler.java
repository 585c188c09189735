package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.task.AttemptEvent;
import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.coordinator.task.TaskStatus;
import dev.mapreduce.coordinator.task.TaskTransitions;
import dev.mapreduce.coordinator.task.TaskTransitions.Then;
import dev.mapreduce.coordinator.task.TaskTransitions.Transition;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMdc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job state machine. Every change happens in one transaction that takes the scheduling lock
 * ({@link JobStore#lockScheduling()}), locks the job rows, then the task rows; it collects its
 * {@link Effects} (messages to send, shuffle keys to delete), which run after the commit, and
 * announces the change to the job's listeners ({@link JobStore#notifyChanged}) in the same
 * transaction. A change that frees a dispatch slot or makes a task wait for one ends with a
 * {@link Dispatcher} pass, so waiting tasks are dispatched at once, not by a timer. The attempts
 * the coordinator trusts are its live ones (QUEUED or RUNNING): a completion from any other
 * attempt, or for a task already completed, changes nothing but that attempt's own record.
 */
@Service
class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    /** An attempt missing from its worker's heartbeat is lost only if it started this long before. */
    private static final Duration HEARTBEAT_GRACE = Duration.ofSeconds(2);

    private final JobStore store;
    private final TaskStore tasks;
    private final AttemptStore attempts;
    private final WorkerStore workers;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Dispatcher dispatcher;
    private final Outbox outbox;
    private final ShuffleStore shuffle;
    private final CoordinatorMetrics metrics;
    private final SchedulerSettings settings;
    private final List<Runnable> monitorDuties;

    /** Deletes ended jobs' shuffle keys (those their index in Redis names) off the thread that applies events. */
    private final ExecutorService cleaner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shuffle-cleanup");
        t.setDaemon(true);
        return t;
    });

    Scheduler(
            JobStore store,
            TaskStore tasks,
            AttemptStore attempts,
            WorkerStore workers,
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            Dispatcher dispatcher,
            Outbox outbox,
            ShuffleStore shuffle,
            CoordinatorMetrics metrics,
            SchedulerSettings settings) {
        this.store = store;
        this.tasks = tasks;
        this.attempts = attempts;
        this.workers = workers;
        this.jdbc = jdbc;
        this.tx = tx;
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.shuffle = shuffle;
        this.metrics = metrics;
        this.settings = settings;
        List<Runnable> duties = new ArrayList<>(List.of(
                new DetectDeadWorkers(this, workers, attempts, tx, settings),
                new TimeOutUnstartedAttempts(this, attempts, settings),
                new StartWaitingReducePhases(this, store),
                new ResendUndispatchedAttempts(this, store, attempts)));
        if (settings.speculation().enabled()) {
            duties.add(new LaunchSpeculativeAttempts(this, store, tasks, attempts, dispatcher, settings));
        }
        this.monitorDuties = List.copyOf(duties);
    }

    /** Runs {@code change} in a transaction ({@link #inTransaction}), then its effects. */
    void run(Function<Effects, ?> change) {
        Effects fx = new Effects();
        inTransaction(fx, () -> change.apply(fx));
        afterCommit(fx);
    }

    /**
     * {@link #run(Function)} for a change a request asks for (a cancel, a submit whose tasks could not be sent),
     * which may run on a standby: it dispatches nothing. A standby's task messages would be marked dispatched only
     * by its own next change, which may not come for long, and the leader sends an attempt still unmarked after 3 s
     * again, so the same attempt would reach two workers. The slots such a change frees go to waiting tasks in the
     * leader's next monitor pass ({@code mapreduce.scheduler.monitor-interval}, 250 ms).
     */
    private void runRequested(Function<Effects, ?> change) {
        run(fx -> {
            Object result = change.apply(fx);
            fx.wake.clear();
            return result;
        });
    }

    /** {@link #run(Function)} with the job or task it is about in every line it logs. */
    void run(TaskMdc.Scope about, Function<Effects, ?> change) {
        try (about) {
            run(change);
        }
    }

    /**
     * Runs {@code change} in one transaction: under the scheduling lock, then marks the dispatches
     * Kafka acknowledged since the last change, then a dispatch pass for the task types the change
     * woke. The caller runs {@link #afterCommit} once it returns.
     */
    void inTransaction(Effects fx, Runnable change) {
        List<List<AttemptRef>> marked = new ArrayList<>(1);
        try {
            tx.executeWithoutResult(s -> {
                store.lockScheduling();
                change.run();
                // after the change: an attempt that started in it needs no mark
                marked.add(dispatcher.markAcknowledged());
                dispatcher.dispatchWaiting(fx);
            });
        } catch (RuntimeException e) {
            marked.forEach(dispatcher::unmark);
            throw e;
        }
    }

    // ---- submit --------------------------------------------------------------------------------

    /**
     * Records a planned job with its map tasks waiting for slots, and dispatches what the limits
     * allow at once. Returns the task messages of that pass (they may include other jobs' waiting
     * tasks): the caller sends them and waits, so that a Kafka outage fails the submit.
     */
    List<TaskMessage> startJob(UUID jobId, JobRequest request, List<MapInput> splits, long records, String owner) {
        return startJob(jobId, request, splits, records, owner, 0);
    }

    /**
     * {@link #startJob(UUID, JobRequest, List, long, String)}, refused with {@link TooManyJobsException}
     * when {@code owner} already has {@code maxActiveJobs} jobs queued or running (0: no cap). Submits
     * of one owner wait for each other here, so two at once cannot both take its last place.
     */
    List<TaskMessage> startJob(
            UUID jobId, JobRequest request, List<MapInput> splits, long records, String owner, int maxActiveJobs) {
        Effects fx = new Effects();
        inTransaction(fx, () -> {
            if (maxActiveJobs > 0 && owner != null) {
                store.lockOwner(owner);
                int active = store.activeJobs(owner);
                if (active >= maxActiveJobs) {
                    throw new TooManyJobsException(owner, active, maxActiveJobs);
                }
            }
            if (!store.insertJob(jobId, request, records, owner)) {
                throw new RepeatedRequestException();
            }
            tasks.insertMapTasks(jobId, splits);
            store.notifyChanged(jobId);
            fx.wake(TaskType.MAP);
        });
        return fx.dispatch;
    }

    /** Records that Kafka took these attempts' messages. */
    void markDispatched(List<AttemptRef> sent) {
        run(fx -> {
            attempts.markDispatched(sent);
            return null;
        });
    }

    /** Fails a job whose first tasks could not be sent. */
    void failUnsent(UUID jobId, String error) {
        runRequested(fx -> {
            if (store.lockJob(jobId).isPresent()) {
                store.forgetRequestId(jobId); // the submit answers 503: its retry must make a new job
                failJob(jobId, error, fx);
                store.notifyChanged(jobId);
            }
            return null;
        });
    }

    // ---- task events ---------------------------------------------------------------------------

    /**
     * Applies task events in order; the caller holds the transaction ({@link #inTransaction}). The
     * common ones (STARTED, SUCCEEDED) go through an {@link EventBatch}, which reads and writes the
     * rows of a run of them with a few statements; the others, rare, one at a time after it wrote
     * what it holds. Either way each event sees the state every event before it left. A null
     * (unreadable) event is skipped.
     */
    void applyAll(List<TaskEvent> events, Effects fx) {
        EventBatch batch = new EventBatch(jdbc);
        for (int i = 0; i < events.size(); i++) {
            TaskEvent e = events.get(i);
            if (e == null) {
                continue;
            }
            if (e.kind() == TaskEvent.Kind.HEARTBEAT) {
                flushAndClear(batch);
                heartbeat(e, fx);
                continue;
            }
            try (TaskMdc.Scope ignored = TaskMdc.of(e.attemptRef())) {
                if (isCommon(e)) {
                    if (!batch.holds(e)) {
                        batch.load(events.subList(i, endOfCommonRun(events, i)));
                    }
                    applyCommon(e, batch, fx);
                } else {
                    flushAndClear(batch);
                    applyOther(e, fx);
                }
            }
        }
        batch.flush();
    }

    private static boolean isCommon(TaskEvent e) {
        return e.kind() == TaskEvent.Kind.STARTED || e.kind() == TaskEvent.Kind.SUCCEEDED;
    }

    private static int endOfCommonRun(List<TaskEvent> events, int from) {
        int i = from;
        while (i < events.size() && (events.get(i) == null || isCommon(events.get(i)))) {
            i++;
        }
        return i;
    }

    private static void flushAndClear(EventBatch batch) {
        batch.flush();
        batch.clear();
    }

    /** STARTED or SUCCEEDED, on the rows the batch holds: load, decide ({@link TaskTransitions}), write. */
    private void applyCommon(TaskEvent e, EventBatch batch, Effects fx) {
        EventBatch.TaskKey key = EventBatch.TaskKey.of(e);
        JobRow job = batch.job(e.jobId());
        EventBatch.Task task = batch.task(key);
        EventBatch.Attempt attempt = batch.attempt(key, e.attempt());
        if (job == null || task == null || attempt == null) {
            log.debug("ignoring an event for an unknown job, task or attempt: {}", e);
            return;
        }
        store.notifyChanged(job.jobId());
        batch.seenWorker(e.workerId(), e.type());
        Instant at = e.at() == null ? Instant.now() : e.at();
        boolean reduceSuccess = e.kind() == TaskEvent.Kind.SUCCEEDED && e.type() == TaskType.REDUCE;
        AttemptEvent event = AttemptEvent.of(e, reduceSuccess ? batch.reduceCommit(key) : null);
        Transition t = TaskTransitions.decide(attempt.status, task.status, job.status().isFinal(), event);
        if (event.endsAttempt()) {
            fx.wake(e.type()); // the attempt ends: its slot is free
        }
        switch (t.then()) {
            case START_TASK -> batch.started(task, attempt, e.workerId(), at);
            case STOP_WORKER -> fx.controls.add(ControlMessage.cancelAttempt(e.attemptRef()));
            case COMPLETE_TASK -> {
                batch.finished(attempt, e.workerId(), AttemptStatus.SUCCEEDED, e.counters(), null, at);
                if (!e.malformedSamples().isEmpty()) {
                    attempts.saveMalformedSamples(e.attemptRef(), e.malformedSamples());
                }
                commit(batch, job, key, e.attempt(), e.counters(), fx);
            }
            case SETTLE_REDUCE, NOTHING -> {
                if (t.changesAttempt()) {
                    batch.finished(attempt, e.workerId(), t.attemptBecomes(), e.counters(), null, at);
                } else if (event == AttemptEvent.SUCCEEDED_UNCOMMITTED) {
                    log.warn("ignoring {}: the reduce attempt reports success but committed nothing", e);
                }
                if (t.then() == Then.SETTLE_REDUCE && e.type() == TaskType.REDUCE) {
                    flushAndClear(batch);
                    reconcileReduce(job, e.taskIndex(), fx);
                }
            }
            default -> throw new IllegalStateException(t + " is not an outcome of " + event);
        }
    }

    /**
     * The success transition, the only one: the task is completed by {@code attempt}, its other live
     * attempts are superseded and told to stop, and the job moves on when it was the phase's last task.
     */
    private void commit(
            EventBatch batch, JobRow job, EventBatch.TaskKey key, int attempt, AttemptCounters counters, Effects fx) {
        int unfinished = batch.completed(batch.task(key), attempt, counters);
        fx.committed(key.type());
        for (EventBatch.Attempt other : batch.liveAttempts(key)) {
            batch.ended(other, AttemptStatus.SUPERSEDED, "attempt " + attempt + " committed first");
            fx.controls.add(ControlMessage.cancelAttempt(
                    new AttemptRef(key.jobId(), key.type(), key.index(), other.number)));
        }
        if (unfinished <= 0) {
            flushAndClear(batch);
            phaseCheck(job, key.type(), fx);
        }
    }

    /** FAILED, FETCH_FAILED or ABORTED, one statement at a time: load, decide ({@link TaskTransitions}), write. */
    private void applyOther(TaskEvent e, Effects fx) {
        Optional<JobRow> maybeJob = store.lockJob(e.jobId());
        Optional<TaskStore.TaskRow> maybeTask = tasks.lockTask(e.jobId(), e.type(), e.taskIndex());
        Optional<AttemptStatus> attemptStatus = attempts.attemptStatus(e.attemptRef());
        if (maybeJob.isEmpty() || maybeTask.isEmpty() || attemptStatus.isEmpty()) {
            log.debug("ignoring an event for an unknown job, task or attempt: {}", e);
            return;
        }
        JobRow job = maybeJob.get();
        TaskStore.TaskRow task = maybeTask.get();
        store.notifyChanged(job.jobId());
        workers.seenWorker(e.workerId(), e.type());
        fx.wake(e.type());
        Instant at = e.at() == null ? Instant.now() : e.at();
        AttemptEvent event = AttemptEvent.of(e, null);
        Transition t = TaskTransitions.decide(attemptStatus.get(), task.status(), job.status().isFinal(), event);
        if (t.changesAttempt()) {
            attempts.endAttempt(e.attemptRef(), t.attemptBecomes(), e.workerId(), e.counters(), e.error(), at);
        }
        switch (t.then()) {
            case NOTHING -> {}
            case RETRY_OR_FAIL -> retryOrFail(e, job, task, fx);
            case RECOVER_LINEAGE -> recoverLineage(e, job, fx);
            case RUN_AGAIN -> runAgain(job, e.attemptRef(), fx);
            default -> throw new IllegalStateException(t + " is not an outcome of " + event);
        }
    }

    private void phaseCheck(JobRow job, TaskType type, Effects fx) {
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
    private boolean reconcileReduce(JobRow job, int partition, Effects fx) {
        Optional<long[]> commit = store.reduceCommitRow(job.jobId(), partition);
        if (commit.isEmpty()) {
            return false;
        }
        EventBatch.TaskKey key = new EventBatch.TaskKey(job.jobId(), TaskType.REDUCE, partition);
        EventBatch batch = new EventBatch(jdbc);
        batch.load(List.of(key));
        EventBatch.Task task = batch.task(key);
        if (task.status == TaskStatus.COMPLETED) {
            return true;
        }
        int attempt = (int) commit.get()[0];
        EventBatch.Attempt winner = batch.attempt(key, attempt);
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
    private void retryOrFail(TaskEvent e, JobRow job, TaskStore.TaskRow task, Effects fx) {
        if (e.type() == TaskType.REDUCE && reconcileReduce(job, e.taskIndex(), fx)) {
            return;
        }
        tasks.addFailure(e.jobId(), e.type(), e.taskIndex(), e.workerId());
        int failures = task.failures() + 1;
        boolean backupLive = !attempts.liveAttempts(e.jobId(), e.type(), e.taskIndex()).isEmpty();
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
                tasks.taskPending(e.jobId(), e.type(), e.taskIndex(), Instant.now().plus(backoff));
            }
        }
    }

    private void failJob(UUID jobId, String error, Effects fx) {
        store.failJob(jobId, error);
        fx.wakeAll(); // its slots are free
        log.warn("job {} failed: {}", jobId, error);
        fx.failedJobs++;
        fx.cleanUp.add(jobId);
        fx.controls.add(ControlMessage.cancelJob(jobId));
    }

    /**
     * A reduce could not read a map run: every committed map task whose run of this partition is
     * gone runs again (not only the one named), then the reduce.
     */
    private void recoverLineage(TaskEvent e, JobRow job, Effects fx) {
        if (e.type() != TaskType.REDUCE
                || reconcileReduce(job, e.taskIndex(), fx)
                || !attempts.liveAttempts(e.jobId(), e.type(), e.taskIndex()).isEmpty()) {
            return;
        }
        tasks.taskPending(e.jobId(), TaskType.REDUCE, e.taskIndex(), null);
        List<MapRunRef> committed = tasks.committedMaps(job.jobId()).stream()
                .filter(m -> m.attempt() > 0)
                .toList();
        Set<Integer> lost = new HashSet<>(shuffle.missingRuns(job.jobId(), e.taskIndex(), committed));
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
    private void runAgain(JobRow job, AttemptRef ref, Effects fx) {
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

    private void heartbeat(TaskEvent e, Effects fx) {
        boolean wasDead = workers.seenWorker(e.workerId(), e.type());
        if (wasDead) {
            log.info("worker {} is back", e.workerId());
        }
        Set<AttemptRef> running = new HashSet<>(e.running());
        Instant cutoff = (e.at() == null ? Instant.now() : e.at()).minus(HEARTBEAT_GRACE);
        for (AttemptStore.RunningAttempt a : attempts.runningOn(e.workerId())) {
            if (!running.contains(a.ref())
                    && a.startedAt() != null
                    && a.startedAt().isBefore(cutoff)) {
                try (TaskMdc.Scope ignored = TaskMdc.of(a.ref())) {
                    endByCoordinator(
                            a.ref(), AttemptEvent.LOST, "worker " + e.workerId() + " no longer runs it (restarted)", fx);
                }
            }
        }
    }

    /**
     * An event the coordinator finds out by itself ({@link AttemptEvent#LOST} worker, {@link
     * AttemptEvent#START_TIMED_OUT}): load, decide ({@link TaskTransitions}), write. An attempt that
     * ended meanwhile is left alone.
     */
    void endByCoordinator(AttemptRef ref, AttemptEvent event, String reason, Effects fx) {
        Optional<JobRow> job = store.lockJob(ref.jobId());
        Optional<TaskStore.TaskRow> task = tasks.lockTask(ref.jobId(), ref.type(), ref.taskIndex());
        Optional<AttemptStatus> attempt = attempts.attemptStatus(ref);
        if (job.isEmpty() || task.isEmpty() || attempt.isEmpty()) {
            return;
        }
        Transition t = TaskTransitions.decide(
                attempt.get(), task.get().status(), job.get().status().isFinal(), event);
        if (!t.changesAttempt() || !attempts.endAttempt(ref, t.attemptBecomes(), reason)) {
            return;
        }
        store.notifyChanged(ref.jobId());
        fx.wake(ref.type());
        if (event == AttemptEvent.START_TIMED_OUT) {
            log.warn("job {}: {} {}", ref.jobId(), ref, reason);
        } else {
            log.info("job {}: {} lost: {}", ref.jobId(), ref, reason);
        }
        if (t.then() == Then.RUN_AGAIN) {
            runAgain(job.get(), ref, fx);
        }
    }

    // ---- dispatch ------------------------------------------------------------------------------

    /** The task waits for a slot for its next attempt; the change's dispatch pass gives it one if it can. */
    private void dispatchNew(JobRow job, TaskType type, int index, Effects fx) {
        tasks.taskReady(job.jobId(), type, index);
        fx.wake(type);
    }

    /** The message of an attempt that exists, for the task's current input and its workers to avoid. */
    TaskMessage message(JobRow job, TaskType type, int index, int attempt) {
        TaskStore.TaskRow task = tasks.lockTask(job.jobId(), type, index).orElseThrow();
        TaskMessage m = type == TaskType.MAP
                ? job.mapTask(index, attempt, tasks.mapInput(job, index))
                : job.reduceTask(index, attempt, tasks.committedMaps(job.jobId()));
        return m.withAttempt(attempt, task.avoid());
    }

    /** Creates the reduce tasks of a job whose map phase just completed; they wait for slots. */
    private void startReducePhase(UUID jobId, int numReducers, Effects fx) {
        tasks.insertReduceTasks(jobId, numReducers);
        store.moveJob(jobId, JobStatus.REDUCE_RUNNING, JobStatus.MAP_COMPLETED);
        store.notifyChanged(jobId);
        fx.wake(TaskType.REDUCE);
    }

    /** Starts the reduce phase of a job left at MAP_COMPLETED (by a coordinator that stopped). */
    void startReducePhase(UUID jobId) {
        run(TaskMdc.of(jobId), fx -> {
            Optional<JobRow> job = store.lockJob(jobId);
            if (job.isPresent() && job.get().status() == JobStatus.MAP_COMPLETED) {
                startReducePhase(jobId, job.get().numReducers(), fx);
            }
            return null;
        });
    }

    /**
     * Sends what a committed change produced, without waiting for Kafka. A task message that
     * fails is sent again by the monitor (its attempt stays undispatched).
     */
    void afterCommit(Effects fx) {
        dispatcher.send(fx.dispatch);
        if (!fx.controls.isEmpty()) {
            outbox.sendControls(fx.controls);
        }
        fx.committed.forEach(metrics::tasksCommitted);
        for (Duration took : fx.completedJobs) {
            metrics.jobCompleted(took);
        }
        for (int i = 0; i < fx.failedJobs; i++) {
            metrics.jobFailed();
        }
        for (UUID jobId : fx.cleanUp) {
            cleaner.execute(() -> deleteShuffleKeys(jobId));
        }
    }

    private void deleteShuffleKeys(UUID jobId) {
        try {
            long keys = shuffle.deleteJob(jobId);
            log.info("job {}: deleted {} shuffle keys", jobId, keys);
        } catch (RuntimeException e) {
            log.warn(
                    "job {}: could not delete its shuffle keys (they expire with their TTL): {}",
                    jobId,
                    e.getMessage());
        }
    }

    // ---- the leader's periodic checks ----------------------------------------------------------

    /**
     * The leader's periodic duties, in order, one class each: dead workers, unstarted attempts, jobs
     * between phases, undispatched attempts and due retries, stragglers. None of these is on the
     * path of a job that runs without faults: its tasks are dispatched by the changes that free slots.
     */
    void monitor() {
        for (Runnable duty : monitorDuties) {
            duty.run();
        }
    }

    // ---- cancel --------------------------------------------------------------------------------

    /** What a cancel request found. */
    enum CancelOutcome {
        CANCELLED,
        NOT_FOUND,
        ALREADY_FINISHED
    }

    CancelOutcome cancel(UUID jobId) {
        CancelOutcome[] outcome = {CancelOutcome.NOT_FOUND};
        runRequested(fx -> {
            Optional<JobRow> job = store.lockJob(jobId);
            if (job.isEmpty()) {
                return null;
            }
            if (job.get().status().isFinal()) {
                outcome[0] = CancelOutcome.ALREADY_FINISHED;
                return null;
            }
            store.cancelJob(jobId);
            store.notifyChanged(jobId);
            fx.controls.add(ControlMessage.cancelJob(jobId));
            fx.cleanUp.add(jobId);
            outcome[0] = CancelOutcome.CANCELLED;
            log.info("job {} cancelled", jobId);
            return null;
        });
        return outcome[0];
    }

    // ---- delete --------------------------------------------------------------------------------

    /** What a delete request found: the job's status, if there was a job. */
    record DeleteOutcome(boolean deleted, JobStatus status) {

        boolean found() {
            return status != null;
        }
    }

    /**
     * Deletes an ended job with its tasks, attempts, commits and results, then its shuffle keys.
     * It locks the job row as every scheduler change does, so it runs on any replica, leader or
     * not: a change already holding the lock finishes first, and one that comes after finds no job.
     */
    DeleteOutcome delete(UUID jobId) {
        DeleteOutcome[] outcome = {new DeleteOutcome(false, null)};
        run(fx -> {
            Optional<JobRow> job = store.lockJob(jobId);
            if (job.isEmpty()) {
                return null;
            }
            if (!job.get().status().isFinal()) {
                outcome[0] = new DeleteOutcome(false, job.get().status());
                return null;
            }
            store.deleteJob(jobId);
            store.notifyChanged(jobId);
            fx.cleanUp.add(jobId);
            outcome[0] = new DeleteOutcome(true, job.get().status());
            log.info("job {} deleted", jobId);
            return null;
        });
        return outcome[0];
    }

    /** A submit whose owner already has a job with its requestId; nothing was recorded. */
    static final class RepeatedRequestException extends RuntimeException {
        RepeatedRequestException() {
            super("a job with this requestId exists", null, false, false);
        }
    }
}
