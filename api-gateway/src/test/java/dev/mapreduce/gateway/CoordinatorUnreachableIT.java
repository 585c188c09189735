package dev.mapreduce.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** With nothing listening where the coordinator should be, the API answers 503 problems. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class CoordinatorUnreachableIT {

    @DynamicPropertySource
    static void coordinatorUrl(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.coordinator.url", () -> "http://127.0.0.1:" + closedPort());
    }

    @Autowired
    RestTestClient client;

    @Test
    void submittingIsA503Problem() {
        client.post()
                .uri("/api/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"word-count-analysis\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Coordinator unavailable")
                .jsonPath("$.detail")
                .isEqualTo("the coordinator cannot be reached");
    }

    @Test
    void readingAJobIsA503Problem() {
        client.get()
                .uri("/api/jobs/0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void cancellingAJobIsA503Problem() {
        client.post()
                .uri("/api/jobs/0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b/cancel")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("the coordinator cannot be reached");
    }

    /** A local port nothing listens on: one the OS just handed out and that was closed again. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
