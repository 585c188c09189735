package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

class MapWorkerApplicationIT extends RunningMapWorker {

    @Autowired
    RestTestClient client;

    @Test
    void reportsHealthUp() {
        client.get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
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

    /** Only health, info and Prometheus: the others tell secrets (env, heapdump) or change the worker (loggers). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/actuator/env",
                "/actuator/beans",
                "/actuator/configprops",
                "/actuator/heapdump",
                "/actuator/loggers",
                "/actuator/threaddump",
                "/actuator/mappings",
                "/actuator/shutdown",
                "/actuator/metrics"
            })
    void exposesNoActuatorEndpointBeyondHealthInfoAndPrometheus(String path) {
        client.get().uri(path).exchange().expectStatus().isNotFound();
        client.post().uri(path).exchange().expectStatus().is4xxClientError();
    }

    @Test
    void exposesInfo() {
        client.get().uri("/actuator/info").exchange().expectStatus().isOk();
    }
}
