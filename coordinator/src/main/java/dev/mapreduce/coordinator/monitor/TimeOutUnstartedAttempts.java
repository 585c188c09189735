package dev.mapreduce.coordinator.monitor;

import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.coordinator.SchedulerSettings;
import dev.mapreduce.coordinator.event.ApplyTaskEvents;
import dev.mapreduce.coordinator.task.AttemptEvent;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.runtime.TaskMdc;

/**
 * A monitor duty: an attempt whose message Kafka took but that never reported STARTED within
 * {@code mapreduce.scheduler.start-timeout} lost its message (archived after the share group's
 * delivery limit, or lost with the broker's data). It is KILLED ({@link
 * AttemptEvent#START_TIMED_OUT}), which does not count toward maxAttempts, and its task runs again.
 */
public final class TimeOutUnstartedAttempts implements Runnable {

    private final Scheduler scheduler;
    private final ApplyTaskEvents taskEvents;
    private final AttemptStore attempts;
    private final SchedulerSettings settings;

    public TimeOutUnstartedAttempts(
            Scheduler scheduler, ApplyTaskEvents taskEvents, AttemptStore attempts, SchedulerSettings settings) {
        this.scheduler = scheduler;
        this.taskEvents = taskEvents;
        this.attempts = attempts;
        this.settings = settings;
    }

    @Override
    public void run() {
        String reason = "not started within " + settings.startTimeout().toMillis()
                + " ms of its dispatch: its task message was lost";
        for (AttemptRef a : attempts.unstarted(settings.startTimeout())) {
            scheduler.run(TaskMdc.of(a), fx -> {
                taskEvents.endByCoordinator(a, AttemptEvent.START_TIMED_OUT, reason, fx);
                return null;
            });
        }
    }
}
