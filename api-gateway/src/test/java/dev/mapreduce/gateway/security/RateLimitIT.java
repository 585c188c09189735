package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.gateway.FakeCoordinator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Three calls per two seconds per tenant, and per client address for calls without a known key. */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "mapreduce.gateway.api-keys=acme:acme-key-0123456789,ops:ops-key-0123456789:admin",
            "mapreduce.gateway.rate-limit=3",
            "mapreduce.gateway.rate-limit-period=2s"
        })
@AutoConfigureRestTestClient
class RateLimitIT {

    static final String JOB_PATH = "/api/jobs/0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b";
    static final FakeCoordinator coordinator = FakeCoordinator.start();

    @DynamicPropertySource
    static void coordinatorUrl(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.coordinator.url", coordinator::url);
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.close();
    }

    @Autowired
    RestTestClient client;

    @Test
    void aTenantOverItsLimitGets429WithRetryAfterThenIsServedAgainAfterThePeriod() {
        // a job of acme's, so that acme (and the admin ops) may see it
        coordinator.answer(200, "application/json", "{\"status\":\"RUNNING\",\"owner\":\"acme\"}");
        // the first call may land late in a period; wait for a fresh one so that the next three share it
        await().atMost(Duration.ofSeconds(10)).until(() -> status("acme-key-0123456789") == 429);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("acme-key-0123456789") == 200);
        int served = 1;
        while (status("acme-key-0123456789") == 200) {
            served++;
        }
        assertThat(served).isBetween(1, 3);

        client.get()
                .uri(JOB_PATH)
                .header("X-API-Key", "acme-key-0123456789")
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .value("Retry-After", value -> assertThat(Integer.parseInt(value))
                        .isBetween(1, 2))
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(429);
        assertThat(status("ops-key-0123456789"))
                .as("another tenant has its own limit")
                .isEqualTo(200);

        await().pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(5))
                .until(() -> status("acme-key-0123456789") == 200);
    }

    @Test
    void guessingKeysIsLimitedByAddress() {
        await().atMost(Duration.ofSeconds(10)).until(() -> status("guess-1") == 429);

        await().pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(5))
                .until(() -> status("guess-2") == 401);
        client.get().uri(JOB_PATH).exchange().expectStatus().value(status -> assertThat(status)
                .isIn(401, 429));
    }

    private int status(String key) {
        return client.get()
                .uri(JOB_PATH)
                .header("X-API-Key", key)
                .exchange()
                .returnResult()
                .getStatus()
                .value();
    }
}
