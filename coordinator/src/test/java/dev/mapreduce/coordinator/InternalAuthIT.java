package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.job.InternalJobController;
import dev.mapreduce.runtime.testing.ActuatorExposureContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The internal API answers only the gateway: a caller without the service token gets a 401 and changes nothing. */
class InternalAuthIT extends CoordinatorTestBase implements ActuatorExposureContract {

    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /internal/jobs",
                "GET /internal/workers",
                "GET /internal/leadership",
                "GET /internal",
                "GET /internal/",
                "GET /internal/nope",
                "GET /internal/jobs/%s",
                "GET /internal/jobs/%s/tasks",
                "POST /internal/jobs/%s/cancel",
                "DELETE /internal/jobs/%s"
            })
    void aCallWithoutTheTokenIsRefused(String call) throws Exception {
        String[] parts = call.formatted(UUID.randomUUID()).split(" ");
        HttpResponse<String> response = send(parts[0], parts[1], null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(response.body()).contains("\"status\":401");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"Bearer wrong-token-0123456789", "Bearer ", "Basic dGVzdDp0ZXN0", "test-service-token-0123456789"
            })
    void aWrongOrMalformedCredentialIsRefused(String authorization) throws Exception {
        assertThat(send("GET", "/internal/jobs", authorization, null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aForgedOwnerHeaderWithoutTheTokenSubmitsNothing() throws Exception {
        int before = jobs();
        HttpResponse<String> response =
                send("POST", "/internal/jobs", null, "{\"jobName\":\"forged\",\"inputTopic\":\"application-logs\"}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void theTokenOpensTheInternalApi() throws Exception {
        assertThat(send("GET", "/internal/jobs", "Bearer " + SERVICE_TOKEN, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/internal/workers", "bearer " + SERVICE_TOKEN, null)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void theTokenOpensLeadership() throws Exception {
        HttpResponse<String> response = send("GET", "/internal/leadership", "Bearer " + SERVICE_TOKEN, null);

        assertThat(response.statusCode()).isEqualTo(200);
        // members in a fixed order: a Map.of answered them in an order chosen per JVM
        assertThat(response.body()).matches("\\{\"leader\":(true|false),\"instance\":\"[^\"]+\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/internal/leadership",
                "/INTERNAL/leadership",
                "//internal/leadership",
                "/internal//leadership",
                "/./internal/leadership",
                "/x/../internal/leadership",
                "/internal/leadership/",
                "/internal;x=1/leadership",
                "/internal/%6ceadership"
            })
    void noSpellingOfLeadershipAnswersWithoutTheToken(String path) throws Exception {
        assertThat(send("GET", path, null, null).statusCode()).isIn(400, 401, 404);
        assertThat(send("GET", path, null, null).body()).doesNotContain("\"leader\"");
    }

    @Test
    void healthInfoAndPrometheusNeedNoToken() throws Exception {
        assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/info", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(200);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String authorization() {
        return "Bearer " + SERVICE_TOKEN;
    }

    private int jobs() {
        return jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class);
    }

    private HttpResponse<String> send(String method, String path, String authorization, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
            request.header(InternalJobController.OWNER_HEADER, "victim");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
