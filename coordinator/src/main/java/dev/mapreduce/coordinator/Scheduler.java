package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.event.ApplyTaskEvents;
import dev.mapreduce.coordinator.job.JobControl;
import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.coordinator.job.RepeatedRequestException;
import dev.mapreduce.coordinator.job.TooManyJobsException;
import dev.mapreduce.coordinator.monitor.DetectDeadWorkers;
import dev.mapreduce.coordinator.monitor.LaunchSpeculativeAttempts;
import dev.mapreduce.coordinator.monitor.ResendUndispatchedAttempts;
import dev.mapreduce.coordinator.monitor.StartWaitingReducePhases;
import dev.mapreduce.coordinator.monitor.TimeOutUnstartedAttempts;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.coordinator.task.TaskLifecycle;
import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMdc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where every change of job and task state runs: submit, task events ({@link ApplyTaskEvents}, which
 * asks {@link dev.mapreduce.coordinator.task.TaskTransitions} about each), the leader's monitor
 * duties, cancel and delete ({@link JobControl}). Every change happens in one transaction that takes the scheduling lock
 * ({@link JobStore#lockScheduling()}), locks the job rows, then the task rows; it collects its
 * {@link Effects} (messages to send, shuffle keys to delete), which run after the commit, and
 * announces the change to the job's listeners ({@link JobStore#notifyChanged}) in the same
 * transaction. A change that frees a dispatch slot or makes a task wait for one ends with a
 * {@link Dispatcher} pass, so waiting tasks are dispatched at once, not by a timer. The attempts
 * the coordinator trusts are its live ones (QUEUED or RUNNING): a completion from any other
 * attempt, or for a task already completed, changes nothing but that attempt's own record.
 */
@Service
public class Scheduler {

    private final JobStore store;
    private final TaskStore tasks;
    private final AttemptStore attempts;
    private final TransactionTemplate tx;
    private final Dispatcher dispatcher;
    private final CommittedEffects committed;
    private final TaskLifecycle lifecycle;
    private final ApplyTaskEvents taskEvents;
    private final List<Runnable> monitorDuties;

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
        this.tx = tx;
        this.dispatcher = dispatcher;
        this.committed = new CommittedEffects(dispatcher, outbox, shuffle, metrics);
        this.lifecycle = new TaskLifecycle(store, tasks, attempts, jdbc, settings);
        this.taskEvents = new ApplyTaskEvents(store, tasks, attempts, workers, jdbc, lifecycle, shuffle);
        List<Runnable> duties = new ArrayList<>(List.of(
                new DetectDeadWorkers(this, taskEvents, workers, attempts, tx, settings),
                new TimeOutUnstartedAttempts(this, taskEvents, attempts, settings),
                new StartWaitingReducePhases(this, store),
                new ResendUndispatchedAttempts(this, store, attempts, dispatcher)));
        if (settings.speculation().enabled()) {
            duties.add(new LaunchSpeculativeAttempts(this, store, tasks, attempts, dispatcher, settings));
        }
        this.monitorDuties = List.copyOf(duties);
    }

    /** Runs {@code change} in a transaction ({@link #inTransaction}), then its effects. */
    public void run(Function<Effects, ?> change) {
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
    public void runRequested(Function<Effects, ?> change) {
        run(fx -> {
            Object result = change.apply(fx);
            fx.wake.clear();
            return result;
        });
    }

    /** {@link #run(Function)} with the job or task it is about in every line it logs. */
    public void run(TaskMdc.Scope about, Function<Effects, ?> change) {
        try (about) {
            run(change);
        }
    }

    /**
     * Runs {@code change} in one transaction: under the scheduling lock, then marks the dispatches
     * Kafka acknowledged since the last change, then a dispatch pass for the task types the change
     * woke. The caller runs {@link #afterCommit} once it returns.
     */
    public void inTransaction(Effects fx, Runnable change) {
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
    public List<TaskMessage> startJob(
            UUID jobId, JobRequest request, List<MapInput> splits, long records, String owner) {
        return startJob(jobId, request, splits, records, owner, 0);
    }

    /**
     * {@link #startJob(UUID, JobRequest, List, long, String)}, refused with {@link TooManyJobsException}
     * when {@code owner} already has {@code maxActiveJobs} jobs queued or running (0: no cap). Submits
     * of one owner wait for each other here, so two at once cannot both take its last place.
     */
    public List<TaskMessage> startJob(
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

    /** Records that Kafka took these attempts' messages ({@link Dispatcher#sendNow}). */
    public void markDispatched(List<AttemptRef> sent) {
        try {
            run(fx -> {
                attempts.markDispatched(sent);
                return null;
            });
        } finally {
            dispatcher.marked(sent); // marked, or the submit fails the job: nothing to send again
        }
    }

    /** Fails a job whose first tasks could not be sent. */
    public void failUnsent(UUID jobId, String error) {
        runRequested(fx -> {
            if (store.lockJob(jobId).isPresent()) {
                store.forgetRequestId(jobId); // the submit answers 503: its retry must make a new job
                lifecycle.failJob(jobId, error, fx);
                store.notifyChanged(jobId);
            }
            return null;
        });
    }

    /**
     * Applies task events in order ({@link ApplyTaskEvents}); the caller holds the transaction
     * ({@link #inTransaction}) and runs {@link #afterCommit} once it committed.
     */
    public void applyAll(List<TaskEvent> events, Map<TaskEvent, List<MapRunRef>> lostRuns, Effects fx) {
        taskEvents.applyAll(events, lostRuns, fx);
    }

    /** What Redis lost that {@code events} are about, asked before their transaction ({@link ApplyTaskEvents#lostRuns}). */
    public Map<TaskEvent, List<MapRunRef>> lostRuns(List<TaskEvent> events) {
        return taskEvents.lostRuns(events);
    }

    // ---- dispatch ------------------------------------------------------------------------------

    /** The message of an attempt that exists, for the task's current input and its workers to avoid. */
    public TaskMessage message(JobRow job, TaskType type, int index, int attempt) {
        TaskStore.TaskRow task = tasks.lockTask(job.jobId(), type, index).orElseThrow();
        TaskMessage m = type == TaskType.MAP
                ? job.mapTask(index, attempt, tasks.mapInput(job, index))
                : job.reduceTask(index, attempt, tasks.committedMaps(job.jobId()));
        return m.withAttempt(attempt, task.avoid());
    }

    /** Starts the reduce phase of a job left at MAP_COMPLETED (by a coordinator that stopped). */
    public void startReducePhase(UUID jobId) {
        run(TaskMdc.of(jobId), fx -> {
            Optional<JobRow> job = store.lockJob(jobId);
            if (job.isPresent() && job.get().status() == JobStatus.MAP_COMPLETED) {
                lifecycle.startReducePhase(jobId, job.get().numReducers(), fx);
            }
            return null;
        });
    }

    /** Carries out what a committed change produced ({@link CommittedEffects}). */
    public void afterCommit(Effects fx) {
        committed.run(fx);
    }

    // ---- the leader's periodic checks ----------------------------------------------------------

    /**
     * The leader's periodic duties, in order, one class each: dead workers, unstarted attempts, jobs
     * between phases, undispatched attempts and due retries, stragglers. None of these is on the
     * path of a job that runs without faults: its tasks are dispatched by the changes that free slots.
     */
    public void monitor() {
        for (Runnable duty : monitorDuties) {
            duty.run();
        }
    }
}
