package dev.mapreduce.reduceworker;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mapreduce.runtime.testing.ActuatorExposureContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.client.RestTestClient;

class ReduceWorkerApplicationIT extends RunningReduceWorker implements ActuatorExposureContract {

    @LocalServerPort
    int port;

    @Autowired
    RestTestClient client;

    @Autowired
    DataSource dataSource;

    @Test
    void itsConnectionPoolHasOneConnectionPerTaskSlotPlusOneForHealth() {
        // TASK_SLOTS defaults to 2
        assertThat(((HikariDataSource) dataSource).getMaximumPoolSize()).isEqualTo(3);
    }

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
                        .contains("application=\"reduce-worker\"")
                        .contains("mapreduce_tasks_started_total{application=\"reduce-worker\",type=\"reduce\"}")
                        .contains("mapreduce_tasks_completed_total")
                        .contains("mapreduce_tasks_failed_total")
                        .contains("mapreduce_tasks_aborted_total")
                        .contains("mapreduce_task_duration_seconds_count"));
    }
}
