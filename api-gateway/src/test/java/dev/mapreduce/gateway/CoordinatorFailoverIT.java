package dev.mapreduce.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The gateway configured with two coordinators, the first of which is not there (and blanks and
 * trailing slashes in the list): every call reaches the second.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ExtendWith(OutputCaptureExtension.class)
class CoordinatorFailoverIT {

    static final String JOB_ID = "0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b";
    static final String SUBMITTED = "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"RUNNING\"}";

    static final FakeCoordinator second = FakeCoordinator.start();
    static final int firstPort = closedPort();

    @DynamicPropertySource
    static void coordinatorUrls(DynamicPropertyRegistry registry) {
        registry.add(
                "mapreduce.coordinator.url", () -> " , http://127.0.0.1:" + firstPort + "/ ,, " + second.url() + "// ");
    }

    @AfterAll
    static void stopCoordinator() {
        second.close();
    }

    @Autowired
    RestTestClient client;

    @Test
    void submittingReadingAndCancellingReachTheSecondCoordinator(CapturedOutput output) {
        second.reset();
        second.answer(201, "application/json", SUBMITTED);
        client.post()
                .uri("/api/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"word-count-analysis\"}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .json(SUBMITTED);

        second.answer(200, "application/json", SUBMITTED);
        client.get().uri("/api/jobs/" + JOB_ID).exchange().expectStatus().isOk();

        second.answer(200, "application/json", "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"CANCELLED\"}");
        client.post()
                .uri("/api/jobs/" + JOB_ID + "/cancel")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("CANCELLED");

        assertThat(second.requests())
                .extracting(FakeCoordinator.Request::path)
                .containsExactly("/internal/jobs", "/internal/jobs/" + JOB_ID, "/internal/jobs/" + JOB_ID + "/cancel");
        assertThat(output.getOut())
                .containsOnlyOnce("Switched to the coordinator at " + second.url() + ": no connection could be made to"
                        + " http://127.0.0.1:" + firstPort);
    }

    @Test
    void anInvalidUrlInTheListStopsTheGatewayWithAClearMessage(CapturedOutput output) {
        SpringApplicationBuilder gateway = new SpringApplicationBuilder(ApiGatewayApplication.class);

        try (var context = gateway.run(
                "--server.port=0", "--mapreduce.coordinator.url=http://127.0.0.1:8080,coordinator-2:8080")) {
            throw new AssertionError("the gateway started with an invalid coordinator URL");
        } catch (RuntimeException e) {
            assertThat(output.getOut())
                    .contains("APPLICATION FAILED TO START")
                    .contains("mapreduce.coordinator.url (COORDINATOR_URL) lists 'coordinator-2:8080', which is not a"
                            + " coordinator base URL: it must start with http:// or https://");
        }
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
