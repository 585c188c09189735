package dev.mapreduce.coordinator.monitor;

import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.protocol.AttemptRef;
import java.time.Duration;

/**
 * A monitor duty: sends again the attempts whose messages were never sent (the coordinator stopped
 * in between, or Kafka refused them), and gives slots to retries whose backoff ended. An attempt
 * this coordinator sent that Kafka has not answered yet, or acknowledged since the last change
 * (which marks it dispatched only after its own work), is not sent again.
 */
public final class ResendUndispatchedAttempts implements Runnable {

    /** An attempt still unmarked this long after it was created was not sent. */
    private static final Duration UNSENT_AFTER = Duration.ofSeconds(3);

    private final Scheduler scheduler;
    private final JobStore store;
    private final AttemptStore attempts;
    private final Dispatcher dispatcher;

    public ResendUndispatchedAttempts(
            Scheduler scheduler, JobStore store, AttemptStore attempts, Dispatcher dispatcher) {
        this.scheduler = scheduler;
        this.store = store;
        this.attempts = attempts;
        this.dispatcher = dispatcher;
    }

    @Override
    public void run() {
        scheduler.run(fx -> {
            for (AttemptRef a : attempts.undispatched(UNSENT_AFTER)) {
                if (dispatcher.unmarked(a)) {
                    continue;
                }
                store.lockJob(a.jobId())
                        .ifPresent(
                                job -> fx.dispatch.add(scheduler.message(job, a.type(), a.taskIndex(), a.attempt())));
            }
            fx.wakeAll();
            return null;
        });
    }
}
