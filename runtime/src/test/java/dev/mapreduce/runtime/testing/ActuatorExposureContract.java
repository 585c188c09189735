package dev.mapreduce.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a running service exposes of its actuator: health, info and Prometheus, nothing else. The
 * others tell secrets (env, heapdump) or change the service (loggers, shutdown). Each service's
 * application test implements it with the port its service listens on.
 */
public interface ActuatorExposureContract {

    /** The port of the running service ({@code @LocalServerPort}). */
    int port();

    /**
     * The {@code Authorization} header of a caller the service trusts, if it asks for one: the
     * endpoints that must be absent are asked with it, so a 404 means absent, not refused.
     */
    default String authorization() {
        return null;
    }

    @Test
    default void reportsHealthUp() {
        HttpResponse<String> health = call("GET", "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new JsonMapper().readTree(health.body()).path("status").asString())
                .isEqualTo("UP");
    }

    @Test
    default void exposesInfo() {
        assertThat(call("GET", "/actuator/info", null).statusCode()).isEqualTo(200);
    }

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
    default void exposesNoActuatorEndpointBeyondHealthInfoAndPrometheus(String path) {
        assertThat(call("GET", path, authorization()).statusCode()).isEqualTo(404);
        assertThat(call("POST", path, authorization()).statusCode()).isBetween(400, 499);
    }

    private HttpResponse<String> call(String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
