package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.TaskType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.stereotype.Component;

/**
 * The coordinator's job and task counters (names from design.md; Prometheus adds {@code _total}). Jobs end on the
 * leader, so only the leader's completed and failed counters move; submissions count on the replica that took them.
 */
@Component
public class CoordinatorMetrics {

    /** Job run times, seconds: fixed buckets, so {@code histogram_quantile} works across coordinators. */
    private static final Duration[] JOB_BUCKETS = Arrays.stream(
                    new double[] {0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200})
            .mapToObj(s -> Duration.ofMillis(Math.round(s * 1000)))
            .toArray(Duration[]::new);

    private final Counter submitted;
    private final Counter completed;
    private final Counter failed;
    private final Timer duration;
    private final Counter mapsCommitted;
    private final Counter reducesCommitted;
    private final Counter taskEventsSkipped;

    CoordinatorMetrics(MeterRegistry registry) {
        this.submitted = Counter.builder("mapreduce.jobs.submitted")
                .description("Jobs accepted")
                .register(registry);
        this.completed = Counter.builder("mapreduce.jobs.completed")
                .description("Jobs that completed")
                .register(registry);
        this.failed = Counter.builder("mapreduce.jobs.failed")
                .description("Jobs that failed")
                .register(registry);
        this.duration = Timer.builder("mapreduce.job.duration")
                .description("Submit to end of successful jobs")
                .serviceLevelObjectives(JOB_BUCKETS)
                .register(registry);
        this.mapsCommitted = committed(registry, TaskType.MAP);
        this.reducesCommitted = committed(registry, TaskType.REDUCE);
        this.taskEventsSkipped = Counter.builder("mapreduce.coordinator.task.events.skipped")
                .description("Task events skipped because they could not be applied (not for an outage)")
                .register(registry);
    }

    private static Counter committed(MeterRegistry registry, TaskType type) {
        return Counter.builder("mapreduce.coordinator.tasks.committed")
                .description("Tasks whose output the coordinator accepted (one per task, however many attempts ran)")
                .tag("type", type.tag())
                .register(registry);
    }

    public void jobSubmitted() {
        submitted.increment();
    }

    void jobCompleted(Duration took) {
        completed.increment();
        duration.record(took);
    }

    void jobFailed() {
        failed.increment();
    }

    public void taskEventSkipped() {
        taskEventsSkipped.increment();
    }

    void tasksCommitted(TaskType type, int tasks) {
        (type == TaskType.MAP ? mapsCommitted : reducesCommitted).increment(tasks);
    }
}
