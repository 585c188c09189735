package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void mapAttemptsShowUnderTheDesignNamesTaggedMap() {
        TaskMetrics metrics = new TaskMetrics(registry, TaskType.MAP);
        metrics.started();
        metrics.started();
        metrics.shuffleWritten(Duration.ofMillis(3), 1_000);
        metrics.completed(System.nanoTime(), new AttemptCounters(100, 7, 250, 40, 1_000, 0, 0));
        metrics.failed(System.nanoTime());

        String text = registry.scrape();

        assertThat(text)
                .contains("mapreduce_tasks_started_total{type=\"map\"} 2.0")
                .contains("mapreduce_tasks_completed_total{type=\"map\"} 1.0")
                .contains("mapreduce_tasks_failed_total{type=\"map\"} 1.0")
                .contains("mapreduce_tasks_aborted_total{type=\"map\"} 0.0")
                .contains("mapreduce_records_read_total{type=\"map\"} 100.0")
                .contains("mapreduce_records_malformed_total{type=\"map\"} 7.0")
                .contains("mapreduce_records_output_total{type=\"map\"} 250.0")
                .contains("mapreduce_shuffle_bytes_total{type=\"map\"} 1000.0")
                .contains("mapreduce_task_duration_seconds_count{type=\"map\"} 2")
                .contains("mapreduce_task_duration_seconds_bucket{type=\"map\",le=\"+Inf\"} 2")
                .contains("mapreduce_shuffle_write_seconds_bucket{le=\"0.005\"} 1")
                .doesNotContain("mapreduce_shuffle_read_seconds")
                .doesNotContain("mapreduce_results_rows_written_total");
    }

    @Test
    void reduceAttemptsCountMergedEntriesAndCommittedRows() {
        TaskMetrics metrics = new TaskMetrics(registry, TaskType.REDUCE);
        metrics.started();
        metrics.shuffleRead(Duration.ofMillis(20));
        metrics.committed(Duration.ofMillis(400), 12);
        metrics.completed(System.nanoTime(), new AttemptCounters(0, 0, 0, 0, 0, 90, 12));

        String text = registry.scrape();

        assertThat(text)
                .contains("mapreduce_records_read_total{type=\"reduce\"} 90.0")
                .contains("mapreduce_records_output_total{type=\"reduce\"} 12.0")
                .contains("mapreduce_results_rows_written_total 12.0")
                .contains("mapreduce_reduce_commit_seconds_bucket{le=\"0.5\"} 1")
                .contains("mapreduce_reduce_commit_seconds_bucket{le=\"0.25\"} 0")
                .contains("mapreduce_shuffle_read_seconds_bucket{le=\"0.025\"} 1")
                .doesNotContain("mapreduce_shuffle_write_seconds")
                .doesNotContain("mapreduce_shuffle_bytes_total");
    }

    @Test
    void aWorkerOfOneKindCannotRecordTheOthersShuffle() {
        TaskMetrics map = new TaskMetrics(registry, TaskType.MAP);
        TaskMetrics reduce = new TaskMetrics(registry, TaskType.REDUCE);

        assertThatThrownBy(() -> map.shuffleRead(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> reduce.shuffleWritten(Duration.ZERO, 1)).isInstanceOf(IllegalStateException.class);
    }
}
