package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.TaskType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** The coordinator's job and task metrics (names from design.md; Prometheus adds {@code _total}). */
@Component
class CoordinatorMetrics {

    private final MeterRegistry registry;
    private final Counter submitted;
    private final Counter completed;
    private final Counter failed;
    private final Timer duration;

    CoordinatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.submitted = Counter.builder("mapreduce.jobs.submitted").register(registry);
        this.completed = Counter.builder("mapreduce.jobs.completed").register(registry);
        this.failed = Counter.builder("mapreduce.jobs.failed").register(registry);
        this.duration = Timer.builder("mapreduce.job.duration")
                .description("submit to end of successful jobs")
                .publishPercentileHistogram()
                .register(registry);
    }

    void jobSubmitted() {
        submitted.increment();
    }

    void jobCompleted(Duration took) {
        completed.increment();
        duration.record(took);
    }

    void jobFailed() {
        failed.increment();
    }

    void taskCommitted(TaskType type) {
        registry.counter("mapreduce.coordinator.tasks.committed", "type", type.tag())
                .increment();
    }
}
