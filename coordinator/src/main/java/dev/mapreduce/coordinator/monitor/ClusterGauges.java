package dev.mapreduce.coordinator.monitor;

import dev.mapreduce.protocol.TaskType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * Gauges of the cluster as PostgreSQL records it: jobs running, task attempts waiting in the queue and running,
 * live workers, and each worker's heartbeat lag. Every coordinator replica exports the same values (read by {@link
 * RefreshClusterGauges}), so queries aggregate them with {@code max}, not {@code sum}. Until the first read they
 * are NaN: unknown, not zero.
 */
@Component
public class ClusterGauges {

    /** The cluster at one moment. */
    public record ClusterState(
            long runningJobs,
            Map<TaskType, Long> waitingTasks,
            Map<TaskType, Long> runningTasks,
            List<WorkerLag> workers) {}

    /** A worker's seconds since its last heartbeat; {@code alive} unless the coordinator declared it dead. */
    public record WorkerLag(String workerId, TaskType type, boolean alive, double lagSeconds) {}

    private final MultiGauge heartbeatLag;
    private volatile ClusterState state;

    public ClusterGauges(MeterRegistry registry) {
        gauge(registry, "mapreduce.jobs.running", "Jobs not yet ended", Tags.empty(), s -> s.runningJobs());
        for (TaskType type : TaskType.values()) {
            Tags tags = Tags.of("type", type.tag());
            gauge(
                    registry,
                    "mapreduce.tasks.waiting",
                    "Task attempts queued for a worker and not yet started",
                    tags,
                    s -> s.waitingTasks().getOrDefault(type, 0L));
            gauge(
                    registry,
                    "mapreduce.tasks.running",
                    "Task attempts a worker has started and not yet ended",
                    tags,
                    s -> s.runningTasks().getOrDefault(type, 0L));
            gauge(registry, "mapreduce.workers.alive", "Workers sending heartbeats", tags, s -> s.workers().stream()
                    .filter(w -> w.type() == type && w.alive())
                    .count());
        }
        this.heartbeatLag = MultiGauge.builder("mapreduce.worker.heartbeat.lag")
                .description("Seconds since each worker's last heartbeat; dead workers drop out after a while")
                .baseUnit("seconds")
                .register(registry);
    }

    public void publish(ClusterState state) {
        this.state = state;
        heartbeatLag.register(
                state.workers().stream()
                        .map(w -> MultiGauge.Row.of(
                                Tags.of("worker", w.workerId(), "type", w.type().tag()), w.lagSeconds()))
                        .toList(),
                true);
    }

    private void gauge(
            MeterRegistry registry, String name, String description, Tags tags, ToDoubleFunction<ClusterState> value) {
        Gauge.builder(name, this, g -> {
                    ClusterState s = g.state;
                    return s == null ? Double.NaN : value.applyAsDouble(s);
                })
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }
}
