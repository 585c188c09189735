package dev.mapreduce.coordinator.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.monitor.ClusterGauges.ClusterState;
import dev.mapreduce.coordinator.monitor.ClusterGauges.WorkerLag;
import dev.mapreduce.protocol.TaskType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterGaugesTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClusterGauges gauges = new ClusterGauges(registry);

    @Test
    void areUnknownUntilTheFirstRead() {
        assertThat(registry.scrape())
                .contains("mapreduce_jobs_running NaN")
                .contains("mapreduce_tasks_waiting{type=\"map\"} NaN");
    }

    @Test
    void showTheLastStatePublished() {
        gauges.publish(new ClusterState(
                3,
                Map.of(TaskType.MAP, 12L),
                Map.of(TaskType.MAP, 4L, TaskType.REDUCE, 2L),
                List.of(
                        new WorkerLag("map-worker-1", TaskType.MAP, true, 0.5),
                        new WorkerLag("map-worker-2", TaskType.MAP, false, 42),
                        new WorkerLag("reduce-worker-1", TaskType.REDUCE, true, 1.25))));

        assertThat(registry.scrape())
                .contains("mapreduce_jobs_running 3.0")
                .contains("mapreduce_tasks_waiting{type=\"map\"} 12.0")
                .contains("mapreduce_tasks_waiting{type=\"reduce\"} 0.0")
                .contains("mapreduce_tasks_running{type=\"reduce\"} 2.0")
                .contains("mapreduce_workers_alive{type=\"map\"} 1.0")
                .contains("mapreduce_worker_heartbeat_lag_seconds{type=\"map\",worker=\"map-worker-2\"} 42.0")
                .contains("mapreduce_worker_heartbeat_lag_seconds{type=\"reduce\",worker=\"reduce-worker-1\"} 1.25");
    }

    @Test
    void dropWorkersNoLongerRead() {
        gauges.publish(new ClusterState(
                0, Map.of(), Map.of(), List.of(new WorkerLag("map-worker-1", TaskType.MAP, false, 500))));
        gauges.publish(new ClusterState(0, Map.of(), Map.of(), List.of()));

        assertThat(registry.scrape()).doesNotContain("map-worker-1");
    }
}
