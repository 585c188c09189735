package dev.mapreduce.runtime;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.TaskMessage;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * Puts the job and task attempt a thread works on into the logging context (SLF4J MDC), so every
 * line logged about a task names it: {@value #JOB_ID} (the job's UUID), {@value #TASK} (the task,
 * {@code map-3} or {@code reduce-0}) and {@value #ATTEMPT} (its attempt number). The services show
 * them in the plain-text pattern and as fields of JSON log lines.
 *
 * <pre>{@code
 * try (TaskMdc.Scope ignored = TaskMdc.of(task)) {
 *     handler.run(task, cancellation);
 * }
 * }</pre>
 *
 * Closing a scope puts back what the thread had before, so scopes nest (an event about an attempt
 * handled while a job is in the context) and a pooled thread carries nothing into its next task.
 */
public final class TaskMdc {

    public static final String JOB_ID = "jobId";
    public static final String TASK = "task";
    public static final String ATTEMPT = "attempt";

    private TaskMdc() {}

    /** The context of one task attempt; an attempt number below 1 means the task, before its next attempt. */
    public static Scope of(AttemptRef ref) {
        return new Scope(
                ref.jobId().toString(),
                ref.type().tag() + "-" + ref.taskIndex(),
                ref.attempt() > 0 ? Integer.toString(ref.attempt()) : null);
    }

    public static Scope of(TaskMessage task) {
        return of(AttemptRef.of(task));
    }

    /** The context of a job, with no task. */
    public static Scope of(UUID jobId) {
        return new Scope(jobId.toString(), null, null);
    }

    /** Restores the thread's previous job, task and attempt (or their absence) when closed. */
    public static final class Scope implements AutoCloseable {

        private final String previousJob = MDC.get(JOB_ID);
        private final String previousTask = MDC.get(TASK);
        private final String previousAttempt = MDC.get(ATTEMPT);

        private Scope(String jobId, String task, String attempt) {
            set(jobId, task, attempt);
        }

        @Override
        public void close() {
            set(previousJob, previousTask, previousAttempt);
        }

        private static void set(String jobId, String task, String attempt) {
            put(JOB_ID, jobId);
            put(TASK, task);
            put(ATTEMPT, attempt);
        }

        private static void put(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
