package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.runtime.testing.ActuatorExposureContract;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.client.RestTestClient;

class MapWorkerApplicationIT extends RunningMapWorker implements ActuatorExposureContract {

    @LocalServerPort
    int port;

    @Autowired
    RestTestClient client;

    @Override
    public int port() {
        return port;
    }

    @Test
    void exposesPrometheusMetricsTaggedWithTheApplicationName() {
        client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body)
                        .contains("application=\"map-worker\"")
                        .contains("mapreduce_tasks_started_total{application=\"map-worker\",type=\"map\"}")
                        .contains("mapreduce_tasks_completed_total")
                        .contains("mapreduce_tasks_failed_total")
                        .contains("mapreduce_tasks_aborted_total")
                        .contains("mapreduce_shuffle_bytes_total")
                        .contains("mapreduce_task_duration_seconds_count"));
    }
}
