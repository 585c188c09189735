package dev.mapreduce.reduceworker;

import dev.mapreduce.protocol.TaskType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The task meters of one worker kind, as the dashboards expect them (mapreduce_tasks_started_total{type="reduce"}, …). */
final class TaskMetrics {

    private final Counter started;
    private final Counter completed;
    private final Counter failed;
    private final Counter aborted;
    private final Timer duration;

    TaskMetrics(MeterRegistry registry, TaskType type) {
        String tag = type.tag();
        this.started = Counter.builder("mapreduce.tasks.started")
                .description("Task attempts taken")
                .tag("type", tag)
                .register(registry);
        this.completed = Counter.builder("mapreduce.tasks.completed")
                .description("Task attempts that succeeded")
                .tag("type", tag)
                .register(registry);
        this.failed = Counter.builder("mapreduce.tasks.failed")
                .description("Task attempts that failed")
                .tag("type", tag)
                .register(registry);
        this.aborted = Counter.builder("mapreduce.tasks.aborted")
                .description("Task attempts stopped because they were cancelled")
                .tag("type", tag)
                .register(registry);
        this.duration = Timer.builder("mapreduce.task.duration")
                .description("Run time of task attempts, successful or not")
                .tag("type", tag)
                .register(registry);
    }

    void started() {
        started.increment();
    }

    /** Records a success that began at {@code startNanos} and returns its duration. */
    Duration completed(long startNanos) {
        completed.increment();
        return record(startNanos);
    }

    /** Records a failure that began at {@code startNanos} and returns its duration. */
    Duration failed(long startNanos) {
        failed.increment();
        return record(startNanos);
    }

    /** Records a cancelled attempt that began at {@code startNanos} and returns its duration. */
    Duration aborted(long startNanos) {
        aborted.increment();
        return record(startNanos);
    }

    private Duration record(long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        duration.record(took);
        return took;
    }
}
