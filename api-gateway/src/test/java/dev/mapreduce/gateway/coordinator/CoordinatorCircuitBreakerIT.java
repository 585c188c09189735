package dev.mapreduce.gateway.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.gateway.FakeCoordinator;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The circuit breaker on the gateway's calls to a fake coordinator: it opens after four calls of
 * which half failed, answers 503 with Retry-After for two seconds, then one trial call closes it.
 * Each test leaves it closed.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "mapreduce.coordinator.read-timeout=1s",
            "mapreduce.coordinator.circuit-breaker.minimum-calls=4",
            "mapreduce.coordinator.circuit-breaker.sliding-window=4",
            "mapreduce.coordinator.circuit-breaker.failure-rate=50",
            "mapreduce.coordinator.circuit-breaker.wait-in-open-state=2s",
            "mapreduce.coordinator.circuit-breaker.half-open-calls=1",
            "management.endpoint.health.show-details=always"
        })
@AutoConfigureRestTestClient
class CoordinatorCircuitBreakerIT {

    static final String JOB_ID = "0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b";
    static final String JOB = "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"RUNNING\"}";
    static final String NOT_FOUND = "{\"title\":\"Job not found\",\"status\":404,\"detail\":\"no job " + JOB_ID + "\"}";

    static FakeCoordinator coordinator = FakeCoordinator.start();
    static final int PORT = coordinator.port();

    @DynamicPropertySource
    static void coordinatorUrl(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.coordinator.url", () -> "http://127.0.0.1:" + PORT);
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.close();
    }

    @Autowired
    RestTestClient client;

    @Autowired
    CoordinatorCircuitBreaker breaker;

    @BeforeEach
    void closedWithAFreshCoordinator() {
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        coordinator.reset();
    }

    @Test
    void serverErrorsOpenItThenTheCoordinatorIsNotCalledUntilATrialCallClosesIt() {
        coordinator.answer(500, "text/plain", "boom");
        for (int i = 0; i < 4; i++) {
            getJob().expectStatus().isEqualTo(502);
        }

        getJob().expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .value("Retry-After", value -> assertThat(Integer.parseInt(value))
                        .isBetween(1, 2))
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Coordinator unavailable");
        assertThat(coordinator.requests()).hasSize(4);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        client.get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.coordinatorCircuitBreaker.status")
                .isEqualTo("UP")
                .jsonPath("$.components.coordinatorCircuitBreaker.details.state")
                .isEqualTo("OPEN");
        client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectBody(String.class)
                .value(
                        metrics -> assertThat(metrics)
                                .containsPattern(
                                        "resilience4j_circuitbreaker_state\\{[^}]*name=\"coordinator\"[^}]*state=\"open\"[^}]*} 1"));

        coordinator.answer(200, "application/json", JOB);
        await().pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(10))
                .until(() -> getJob().returnResult().getStatus().value() == 200);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aCoordinatorThatCannotBeReachedOpensItAndClosesItOnceBack() {
        coordinator.close();
        for (int i = 0; i < 4; i++) {
            getJob().expectStatus()
                    .isEqualTo(503)
                    .expectHeader()
                    .doesNotExist("Retry-After")
                    .expectBody()
                    .jsonPath("$.detail")
                    .isEqualTo("the coordinator cannot be reached");
        }
        getJob().expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");

        coordinator = FakeCoordinator.startOn(PORT);
        coordinator.answer(200, "application/json", JOB);
        await().pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(10))
                .until(() -> getJob().returnResult().getStatus().value() == 200);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aCoordinatorThatDoesNotAnswerInTimeOpensIt() {
        coordinator.hang();
        for (int i = 0; i < 4; i++) {
            getJob().expectStatus().isEqualTo(503);
        }
        getJob().expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
        assertThat(coordinator.requests()).hasSize(4);

        coordinator.reset();
        coordinator.answer(200, "application/json", JOB);
        await().pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(10))
                .until(() -> getJob().returnResult().getStatus().value() == 200);
    }

    @Test
    void clientErrorsDoNotOpenIt() {
        coordinator.answer(404, "application/problem+json", NOT_FOUND);
        for (int i = 0; i < 10; i++) {
            getJob().expectStatus().isNotFound();
        }
        coordinator.answer(409, "text/plain", "not a problem");
        for (int i = 0; i < 10; i++) {
            getJob().expectStatus().isEqualTo(502);
        }

        assertThat(coordinator.requests()).hasSize(20);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aTrialCallThatFailsOpensItAgain() {
        coordinator.answer(503, "application/problem+json", "{\"title\":\"Not the leader\",\"status\":503}");
        for (int i = 0; i < 4; i++) {
            getJob().expectStatus().isEqualTo(503);
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        await().pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(10))
                .until(this::reachesTheCoordinator);
        assertThat(coordinator.requests()).hasSize(5);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        getJob().expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
        assertThat(coordinator.requests()).hasSize(5);

        coordinator.answer(200, "application/json", JOB);
        await().pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(10))
                .until(() -> getJob().returnResult().getStatus().value() == 200);
    }

    /** One call; true once it reached the coordinator (the breaker let a trial call through). */
    private boolean reachesTheCoordinator() {
        int before = coordinator.requests().size();
        getJob().returnResult();
        return coordinator.requests().size() > before;
    }

    private RestTestClient.ResponseSpec getJob() {
        return client.get().uri("/api/jobs/" + JOB_ID).exchange();
    }
}
