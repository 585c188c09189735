package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.gateway.ApiGatewayApplication;
import dev.mapreduce.gateway.FakeCoordinator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two whole gateways (two Spring contexts, each with its own port, filters and rate limiter) behind
 * one Redis: a tenant's requests alternating between them are allowed {@link #LIMIT} times in all,
 * not twice that. The Redis is a database of the shared server that nothing else uses (11), with
 * keys under a prefix of this run, so nothing needs flushing.
 */
class TwoGatewaysRateLimitIT {

    static final int LIMIT = 6;
    static final String JOB_PATH = "/api/jobs/0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b";
    static final String PREFIX = "mapreduce-it:two-gateways:" + UUID.randomUUID() + ":";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static final FakeCoordinator coordinator = FakeCoordinator.start();
    static final List<ConfigurableApplicationContext> gateways = new ArrayList<>();

    @BeforeAll
    static void startTwoGateways() {
        coordinator.answer(200, "application/json", "{\"status\":\"RUNNING\",\"owner\":\"acme\"}");
        for (int i = 0; i < 2; i++) {
            gateways.add(new SpringApplicationBuilder(ApiGatewayApplication.class)
                    .run(
                            "--server.port=0",
                            "--spring.application.name=api-gateway-" + i,
                            "--mapreduce.coordinator.url=" + coordinator.url(),
                            "--mapreduce.gateway.api-keys=acme:acme-key-0123456789,globex:globex-key-0123456789",
                            "--mapreduce.gateway.rate-limit=" + LIMIT,
                            "--mapreduce.gateway.rate-limit-period=1m",
                            "--mapreduce.gateway.rate-limit-redis-url=redis://127.0.0.1:6379/11",
                            "--mapreduce.gateway.rate-limit-redis-prefix=" + PREFIX));
        }
    }

    @AfterAll
    static void stop() {
        gateways.forEach(ConfigurableApplicationContext::close);
        coordinator.close();
    }

    @Test
    void aTenantsRequestsAlternatingBetweenTwoGatewaysAreAllowedTheLimitInAllNotTwice() throws Exception {
        int allowed = 0;
        List<HttpResponse<String>> refused = new ArrayList<>();
        for (int i = 0; i < 2 * LIMIT; i++) {
            HttpResponse<String> response = get(i % 2, "acme-key-0123456789");
            if (response.statusCode() == 200) {
                allowed++;
            } else {
                refused.add(response);
            }
        }

        assertThat(allowed).isEqualTo(LIMIT);
        assertThat(refused).hasSize(LIMIT).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(Integer.parseInt(
                            response.headers().firstValue("Retry-After").orElseThrow()))
                    .isBetween(1, 60);
        });
        // both gateways refuse acme now, and neither holds that against another tenant
        assertThat(get(0, "acme-key-0123456789").statusCode()).isEqualTo(429);
        assertThat(get(1, "acme-key-0123456789").statusCode()).isEqualTo(429);
        assertThat(get(0, "globex-key-0123456789").statusCode()).isEqualTo(404);
        assertThat(get(1, "globex-key-0123456789").statusCode()).isEqualTo(404);
    }

    /** GET of acme's job through gateway {@code index} with this key. */
    private static HttpResponse<String> get(int index, String key) throws Exception {
        int port = ((WebServerApplicationContext) gateways.get(index))
                .getWebServer()
                .getPort();
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + JOB_PATH))
                        .header("X-API-Key", key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
