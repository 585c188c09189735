package dev.mapreduce.coordinator.event;

import dev.mapreduce.coordinator.Effects;
import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.coordinator.WorkerStore;
import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.task.AttemptEvent;
import dev.mapreduce.coordinator.task.AttemptStatus;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.coordinator.task.TaskLifecycle;
import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.coordinator.task.TaskTransitions;
import dev.mapreduce.coordinator.task.TaskTransitions.Then;
import dev.mapreduce.coordinator.task.TaskTransitions.Transition;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMdc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applies task events, in order, in the transaction of the caller ({@link Scheduler#inTransaction}):
 * each event loads its rows, asks {@link TaskTransitions} what happens, and writes what it is told;
 * what the task does next is {@link TaskLifecycle}'s. The common events (STARTED, SUCCEEDED) of a
 * run go through one {@link EventBatch}; the rare ones, heartbeats and what the coordinator finds
 * out by itself ({@link AttemptEvent#LOST}, {@link AttemptEvent#START_TIMED_OUT}) one at a time.
 */
public final class ApplyTaskEvents {

    private static final Logger log = LoggerFactory.getLogger(ApplyTaskEvents.class);

    /** An attempt missing from its worker's heartbeat is lost only if it started this long before. */
    private static final Duration HEARTBEAT_GRACE = Duration.ofSeconds(2);

    private final JobStore store;
    private final TaskStore tasks;
    private final AttemptStore attempts;
    private final WorkerStore workers;
    private final JdbcTemplate jdbc;
    private final TaskLifecycle lifecycle;
    private final ShuffleStore shuffle;

    public ApplyTaskEvents(
            JobStore store,
            TaskStore tasks,
            AttemptStore attempts,
            WorkerStore workers,
            JdbcTemplate jdbc,
            TaskLifecycle lifecycle,
            ShuffleStore shuffle) {
        this.shuffle = shuffle;
        this.store = store;
        this.tasks = tasks;
        this.attempts = attempts;
        this.workers = workers;
        this.jdbc = jdbc;
        this.lifecycle = lifecycle;
    }

    /**
     * Applies task events in order; the caller holds the transaction ({@link Scheduler#inTransaction}). The
     * common ones (STARTED, SUCCEEDED) go through an {@link EventBatch}, which reads and writes the
     * rows of a run of them with a few statements; the others, rare, one at a time after it wrote
     * what it holds. Either way each event sees the state every event before it left. A null
     * (unreadable) event is skipped.
     */
    public void applyAll(List<TaskEvent> events, Map<TaskEvent, List<MapRunRef>> lostRuns, Effects fx) {
        EventBatch batch = new EventBatch(jdbc);
        List<TaskEvent> heartbeats = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            TaskEvent e = events.get(i);
            if (e == null) {
                continue;
            }
            if (e.kind() == TaskEvent.Kind.HEARTBEAT) {
                heartbeats.add(e);
                continue;
            }
            try (TaskMdc.Scope ignored = TaskMdc.of(e.attemptRef())) {
                if (isCommon(e)) {
                    if (!batch.holds(e)) {
                        batch.load(events.subList(i, endOfCommonRun(events, i)));
                    }
                    applyCommon(e, batch, fx);
                } else {
                    batch.flushAndClear();
                    applyOther(e, lostRuns.getOrDefault(e, List.of()), fx);
                }
            }
        }
        batch.flush();
        heartbeats(heartbeats, fx);
    }

    /**
     * For each reduce's FETCH_FAILED among {@code events}, the committed map runs of its partition
     * that Redis no longer has. Asked before the transaction that applies the events, so no Redis
     * call is made under the scheduling lock (a slow Redis would stop all scheduling); a Redis that
     * cannot be reached throws, and the events are applied again later, as in a database outage.
     */
    public Map<TaskEvent, List<MapRunRef>> lostRuns(List<TaskEvent> events) {
        Map<TaskEvent, List<MapRunRef>> lost = new IdentityHashMap<>();
        for (TaskEvent e : events) {
            if (e != null && e.kind() == TaskEvent.Kind.FETCH_FAILED && e.type() == TaskType.REDUCE) {
                List<MapRunRef> committed = tasks.committedMaps(e.jobId()).stream()
                        .filter(m -> m.attempt() > 0)
                        .toList();
                Set<Integer> missing = new HashSet<>(shuffle.missingRuns(e.jobId(), e.taskIndex(), committed));
                lost.put(
                        e,
                        committed.stream()
                                .filter(m -> missing.contains(m.mapTask()))
                                .toList());
            }
        }
        return lost;
    }

    private static boolean isCommon(TaskEvent e) {
        return e.kind() == TaskEvent.Kind.STARTED || e.kind() == TaskEvent.Kind.SUCCEEDED;
    }

    /** The run goes on past heartbeats (applied after it): loading twice would re-count a phase's unfinished tasks. */
    private static int endOfCommonRun(List<TaskEvent> events, int from) {
        int i = from;
        while (i < events.size()
                && (events.get(i) == null
                        || isCommon(events.get(i))
                        || events.get(i).kind() == TaskEvent.Kind.HEARTBEAT)) {
            i++;
        }
        return i;
    }

    /** STARTED or SUCCEEDED, on the rows the batch holds: load, decide ({@link TaskTransitions}), write. */
    private void applyCommon(TaskEvent e, EventBatch batch, Effects fx) {
        TaskKey key = TaskKey.of(e);
        JobRow job = batch.job(e.jobId());
        HeldTask task = batch.task(key);
        HeldAttempt attempt = batch.attempt(key, e.attempt());
        if (job == null || task == null || attempt == null) {
            log.debug("ignoring an event for an unknown job, task or attempt: {}", e);
            return;
        }
        store.notifyChanged(job.jobId());
        batch.seenWorker(e.workerId(), e.type());
        Instant at = e.at() == null ? Instant.now() : e.at();
        boolean reduceSuccess = e.kind() == TaskEvent.Kind.SUCCEEDED && e.type() == TaskType.REDUCE;
        AttemptEvent event = AttemptEvent.of(e, reduceSuccess ? batch.reduceCommit(key) : null);
        Transition t =
                TaskTransitions.decide(attempt.status, task.status, job.status().isFinal(), event);
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
                lifecycle.commit(batch, job, key, e.attempt(), e.counters(), fx);
            }
            case SETTLE_REDUCE, NOTHING -> {
                if (t.changesAttempt()) {
                    batch.finished(attempt, e.workerId(), t.attemptBecomes(), e.counters(), null, at);
                } else if (event == AttemptEvent.SUCCEEDED_UNCOMMITTED) {
                    log.warn("ignoring {}: the reduce attempt reports success but committed nothing", e);
                }
                if (t.then() == Then.SETTLE_REDUCE && e.type() == TaskType.REDUCE) {
                    batch.flushAndClear();
                    lifecycle.reconcileReduce(job, e.taskIndex(), fx);
                }
            }
            default -> throw new IllegalStateException(t + " is not an outcome of " + event);
        }
    }

    /** FAILED, FETCH_FAILED or ABORTED, one statement at a time: load, decide ({@link TaskTransitions}), write. */
    private void applyOther(TaskEvent e, List<MapRunRef> lostRuns, Effects fx) {
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
        Transition t = TaskTransitions.decide(
                attemptStatus.get(), task.status(), job.status().isFinal(), event);
        if (t.changesAttempt()) {
            attempts.endAttempt(e.attemptRef(), t.attemptBecomes(), e.workerId(), e.counters(), e.error(), at);
        }
        switch (t.then()) {
            case NOTHING -> {}
            case RETRY_OR_FAIL -> lifecycle.retryOrFail(e, job, task, fx);
            case RECOVER_LINEAGE -> lifecycle.recoverLineage(e, job, lostRuns, fx);
            case RUN_AGAIN -> lifecycle.runAgain(job, e.attemptRef(), fx);
            default -> throw new IllegalStateException(t + " is not an outcome of " + event);
        }
    }

    /**
     * The heartbeats of a poll, after its other events and together: one statement marks their
     * workers alive, one reads their live attempts. Applying them last loses nothing: an attempt
     * missing from a heartbeat is lost only if it started {@link #HEARTBEAT_GRACE} before the
     * heartbeat was sent, which no later event of the poll can change, and one that a later event
     * ended is no longer live. Taken one at a time, each heartbeat split the run of common events
     * around it, and cost its own statements: with 1,000 workers they outran the event loop
     * (docs/scaling.md).
     */
    private void heartbeats(List<TaskEvent> heartbeats, Effects fx) {
        if (heartbeats.isEmpty()) {
            return;
        }
        Map<String, TaskType> seen = new LinkedHashMap<>();
        Map<String, TaskEvent> latest = new HashMap<>();
        for (TaskEvent e : heartbeats) {
            seen.putIfAbsent(e.workerId(), e.type());
            latest.put(e.workerId(), e); // the last one knows best what its worker runs
        }
        for (String worker : workers.seenWorkers(seen)) {
            log.info("worker {} is back", worker);
        }
        for (AttemptStore.RunningAttempt a : attempts.runningOn(seen.keySet())) {
            TaskEvent e = latest.get(a.workerId());
            Instant cutoff = (e.at() == null ? Instant.now() : e.at()).minus(HEARTBEAT_GRACE);
            if (!e.running().contains(a.ref())
                    && a.startedAt() != null
                    && a.startedAt().isBefore(cutoff)) {
                try (TaskMdc.Scope ignored = TaskMdc.of(a.ref())) {
                    endByCoordinator(
                            a.ref(),
                            AttemptEvent.LOST,
                            "worker " + e.workerId() + " no longer runs it (restarted)",
                            fx);
                }
            }
        }
    }

    /**
     * An event the coordinator finds out by itself ({@link AttemptEvent#LOST} worker, {@link
     * AttemptEvent#START_TIMED_OUT}): load, decide ({@link TaskTransitions}), write. An attempt that
     * ended meanwhile is left alone.
     */
    public void endByCoordinator(AttemptRef ref, AttemptEvent event, String reason, Effects fx) {
        Optional<JobRow> job = store.lockJob(ref.jobId());
        Optional<TaskStore.TaskRow> task = tasks.lockTask(ref.jobId(), ref.type(), ref.taskIndex());
        Optional<AttemptStatus> attempt = attempts.attemptStatus(ref);
        if (job.isEmpty() || task.isEmpty() || attempt.isEmpty()) {
            return;
        }
        if (event == AttemptEvent.LOST
                && ref.type() == TaskType.REDUCE
                && attempt.get().isLive()
                && committed(ref)) {
            // its worker died after the commit, before the report: the commit row is the truth, the attempt succeeded
            lifecycle.reconcileReduce(job.get(), ref.taskIndex(), fx);
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
            lifecycle.runAgain(job.get(), ref, fx);
        }
    }

    /** Whether {@code ref}, a reduce attempt, committed its partition. */
    private boolean committed(AttemptRef ref) {
        return store.reduceCommitRow(ref.jobId(), ref.taskIndex())
                .map(commit -> commit[0] == ref.attempt())
                .orElse(false);
    }
}
