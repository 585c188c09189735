package dev.mapreduce.coordinator.task;

import static dev.mapreduce.coordinator.task.AttemptStatus.FAILED;
import static dev.mapreduce.coordinator.task.AttemptStatus.KILLED;
import static dev.mapreduce.coordinator.task.AttemptStatus.QUEUED;
import static dev.mapreduce.coordinator.task.AttemptStatus.RUNNING;
import static dev.mapreduce.coordinator.task.AttemptStatus.SUCCEEDED;
import static dev.mapreduce.coordinator.task.AttemptStatus.SUPERSEDED;

/**
 * The task lifecycle: for every (attempt status, task status, job ended, event), what the attempt
 * becomes and what its task does next. Plain Java, so every pair is tested without a database
 * ({@code TaskTransitionsTest}); the scheduler loads the rows, asks here, and writes what it is told.
 *
 * <p>The rules, in the order they apply:
 * <ol>
 *   <li>An attempt that is not live is not trusted: its events change nothing. If it reports STARTED
 *       its worker is told to stop it; if it reports a reduce's success while the job runs, the
 *       partition's commit row settles the task.
 *   <li>A live attempt of an ended job changes nothing when it starts, and ends as it reports.
 *   <li>A live attempt of a running job's live task (PENDING or RUNNING) moves the task: it starts
 *       it, completes it, retries it, recovers its inputs or runs it again.
 *   <li>A live attempt whose task completed (or ended) meanwhile ends, and moves nothing.
 * </ol>
 */
public final class TaskTransitions {

    private TaskTransitions() {}

    /** What the task does after the attempt's change. */
    public enum Then {
        /** Nothing: a stale or duplicate event, or one the task no longer needs. */
        NOTHING,
        /** The task is RUNNING (if it was PENDING). */
        START_TASK,
        /** The task is COMPLETED by this attempt; its other live attempts are superseded. */
        COMPLETE_TASK,
        /** The commit row of a reduce partition, if any, completes its task (a map has none: nothing). */
        SETTLE_REDUCE,
        /** The failure counts: the task waits for a backup attempt, retries after a backoff, or fails the job. */
        RETRY_OR_FAIL,
        /** Not counted: the map runs the reduce could not read are made again, then the reduce runs again. */
        RECOVER_LINEAGE,
        /** Not counted: the task runs again, unless another attempt of it is still live. */
        RUN_AGAIN,
        /** The attempt is not trusted but its worker runs it: tell the worker to stop. */
        STOP_WORKER
    }

    /**
     * An outcome: the attempt's next status ({@code null}: unchanged) and what the task does next.
     */
    public record Transition(AttemptStatus attemptBecomes, Then then) {

        static final Transition IGNORE = new Transition(null, Then.NOTHING);

        /** Whether the attempt's row changes. */
        public boolean changesAttempt() {
            return attemptBecomes != null;
        }
    }

    /** What {@link #afterFailure} decides for a task whose attempt failed (and counted). */
    public enum AfterFailure {
        /** Another attempt of the task is still live and may succeed. */
        WAIT_FOR_BACKUP,
        /** The task waits out its backoff, then gets a new attempt. */
        RETRY,
        /** The task failed maxAttempts times: it is FAILED, and so is its job. */
        FAIL_JOB
    }

    /** The outcome of {@code event} on an attempt in {@code attempt} of a task in {@code task}. */
    public static Transition decide(AttemptStatus attempt, TaskStatus task, boolean jobEnded, AttemptEvent event) {
        if (!attempt.isLive()) {
            return switch (event) {
                case STARTED -> new Transition(null, Then.STOP_WORKER);
                case SUCCEEDED, SUCCEEDED_UNCOMMITTED, SUCCEEDED_OTHER_COMMITTED ->
                    jobEnded ? Transition.IGNORE : new Transition(null, Then.SETTLE_REDUCE);
                case FAILED, FETCH_FAILED, ABORTED, LOST, START_TIMED_OUT -> Transition.IGNORE;
            };
        }
        boolean open = !jobEnded && task.isLive();
        Transition superseded = new Transition(SUPERSEDED, jobEnded ? Then.NOTHING : Then.SETTLE_REDUCE);
        return switch (event) {
            case STARTED -> jobEnded ? Transition.IGNORE : new Transition(RUNNING, Then.START_TASK);
            case SUCCEEDED -> open ? new Transition(SUCCEEDED, Then.COMPLETE_TASK) : superseded;
            // its worker said success without a commit: it stays live until its worker no longer runs it
            case SUCCEEDED_UNCOMMITTED -> open ? Transition.IGNORE : superseded;
            case SUCCEEDED_OTHER_COMMITTED -> superseded;
            case FAILED -> new Transition(FAILED, open ? Then.RETRY_OR_FAIL : Then.NOTHING);
            case FETCH_FAILED -> new Transition(FAILED, open ? Then.RECOVER_LINEAGE : Then.NOTHING);
            case ABORTED, LOST -> new Transition(KILLED, open ? Then.RUN_AGAIN : Then.NOTHING);
            case START_TIMED_OUT ->
                attempt == QUEUED ? new Transition(KILLED, open ? Then.RUN_AGAIN : Then.NOTHING) : Transition.IGNORE;
        };
    }

    /**
     * After a counted failure: {@code failures} is the task's count including this one, {@code
     * backupLive} whether another attempt of the task is still live.
     */
    public static AfterFailure afterFailure(int failures, int maxAttempts, boolean backupLive) {
        if (backupLive) {
            return AfterFailure.WAIT_FOR_BACKUP;
        }
        return failures >= maxAttempts ? AfterFailure.FAIL_JOB : AfterFailure.RETRY;
    }

    /**
     * Checks a change of an attempt's status against {@link AttemptStatus#canTransitionTo}; the
     * state machine never asks for another, so a failure here is a bug.
     */
    public static AttemptStatus attemptMove(AttemptStatus from, AttemptStatus to) {
        if (!from.canTransitionTo(to)) {
            throw new IllegalStateException("an attempt cannot move from " + from + " to " + to);
        }
        return to;
    }

    /** Checks a change of a task's status against {@link TaskStatus#canTransitionTo}. */
    public static TaskStatus taskMove(TaskStatus from, TaskStatus to) {
        if (!from.canTransitionTo(to)) {
            throw new IllegalStateException("a task cannot move from " + from + " to " + to);
        }
        return to;
    }
}
