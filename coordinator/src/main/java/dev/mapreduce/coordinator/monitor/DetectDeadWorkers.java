package dev.mapreduce.coordinator.monitor;

import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.coordinator.SchedulerSettings;
import dev.mapreduce.coordinator.WorkerStore;
import dev.mapreduce.coordinator.event.ApplyTaskEvents;
import dev.mapreduce.coordinator.task.AttemptEvent;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.runtime.TaskMdc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A monitor duty: a worker without a heartbeat for {@code mapreduce.scheduler.worker-timeout} is
 * dead, and its live attempts are lost ({@link AttemptEvent#LOST}): their tasks run again, not
 * counted as failures.
 */
public final class DetectDeadWorkers implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(DetectDeadWorkers.class);

    private final Scheduler scheduler;
    private final ApplyTaskEvents taskEvents;
    private final WorkerStore workers;
    private final AttemptStore attempts;
    private final TransactionTemplate tx;
    private final SchedulerSettings settings;

    public DetectDeadWorkers(
            Scheduler scheduler,
            ApplyTaskEvents taskEvents,
            WorkerStore workers,
            AttemptStore attempts,
            TransactionTemplate tx,
            SchedulerSettings settings) {
        this.scheduler = scheduler;
        this.taskEvents = taskEvents;
        this.workers = workers;
        this.attempts = attempts;
        this.tx = tx;
        this.settings = settings;
    }

    @Override
    public void run() {
        long timeoutMs = settings.workerTimeout().toMillis();
        for (String worker : tx.execute(s -> workers.expireWorkers(settings.workerTimeout()))) {
            log.warn("worker {} is dead: no heartbeat for {} ms", worker, timeoutMs);
            for (AttemptStore.RunningAttempt a : attempts.runningOn(worker)) {
                String reason = "worker " + worker + " lost (no heartbeat for " + timeoutMs + " ms)";
                scheduler.run(TaskMdc.of(a.ref()), fx -> {
                    taskEvents.endByCoordinator(a.ref(), AttemptEvent.LOST, reason, fx);
                    return null;
                });
            }
        }
    }
}
