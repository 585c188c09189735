package dev.mapreduce.coordinator.monitor;

import dev.mapreduce.coordinator.Effects;
import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.coordinator.SchedulerSettings;
import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.coordinator.task.TaskStatus;
import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.TaskMdc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A monitor duty (when {@code mapreduce.scheduler.speculation.enabled}): a straggler, an attempt
 * running much longer than its phase's median once most of the phase is done, gets one backup
 * attempt on another worker; whichever commits first wins.
 */
public final class LaunchSpeculativeAttempts implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LaunchSpeculativeAttempts.class);

    private final Scheduler scheduler;
    private final JobStore store;
    private final TaskStore tasks;
    private final AttemptStore attempts;
    private final Dispatcher dispatcher;
    private final SchedulerSettings.Speculation spec;

    public LaunchSpeculativeAttempts(
            Scheduler scheduler,
            JobStore store,
            TaskStore tasks,
            AttemptStore attempts,
            Dispatcher dispatcher,
            SchedulerSettings settings) {
        this.scheduler = scheduler;
        this.store = store;
        this.tasks = tasks;
        this.attempts = attempts;
        this.dispatcher = dispatcher;
        this.spec = settings.speculation();
    }

    @Override
    public void run() {
        Instant now = Instant.now();
        Map<String, double[]> phases = new HashMap<>();
        for (AttemptStore.RunningAttempt a : attempts.runningAttempts()) {
            double[] phase = phases.computeIfAbsent(
                    a.ref().jobId() + "/" + a.ref().type(),
                    k -> tasks.phaseProgress(a.ref().jobId(), a.ref().type()));
            double total = phase[0];
            double done = phase[1];
            double medianSeconds = phase[2];
            Duration elapsed = Duration.between(a.startedAt(), now);
            if (done == 0
                    || done / total < spec.quantile()
                    || elapsed.compareTo(spec.minRuntime()) < 0
                    || elapsed.toMillis() < spec.multiplier() * medianSeconds * 1000) {
                continue;
            }
            scheduler.run(TaskMdc.of(a.ref()), fx -> {
                backUp(a, elapsed, medianSeconds, fx);
                return null;
            });
        }
    }

    private void backUp(AttemptStore.RunningAttempt a, Duration elapsed, double medianSeconds, Effects fx) {
        Optional<JobRow> job = store.lockJob(a.ref().jobId());
        if (job.isEmpty()) {
            return; // ended and deleted since the running attempts were read
        }
        TaskStore.TaskRow task = tasks.lockTask(
                        a.ref().jobId(), a.ref().type(), a.ref().taskIndex())
                .orElseThrow();
        if (job.get().status().isFinal()
                || task.status() != TaskStatus.RUNNING
                || attempts.liveAttempts(
                                        a.ref().jobId(), a.ref().type(), a.ref().taskIndex())
                                .size()
                        != 1
                || !dispatcher.roomForBackup(a.ref().jobId(), a.ref().type())) {
            return;
        }
        int attempt =
                attempts.createAttempt(a.ref().jobId(), a.ref().type(), a.ref().taskIndex(), true);
        store.notifyChanged(a.ref().jobId());
        List<String> avoid = new ArrayList<>(task.avoid());
        if (a.workerId() != null && !avoid.contains(a.workerId())) {
            avoid.add(a.workerId());
        }
        TaskMessage m = scheduler.message(job.get(), a.ref().type(), a.ref().taskIndex(), attempt);
        fx.dispatch.add(m.withAttempt(attempt, avoid));
        log.info(
                "job {}: {} has run {} ms (phase median {} ms): backup attempt {}",
                a.ref().jobId(),
                a.ref(),
                elapsed.toMillis(),
                Math.round(medianSeconds * 1000),
                attempt);
    }
}
