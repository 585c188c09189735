package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.gateway.FakeCoordinator;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway with API keys: what needs a key and what does not, who the caller is, and the body
 * size limit on every {@code /api/**} call.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "mapreduce.gateway.api-keys=acme:acme-key-0123456789,ops:ops-key-0123456789:admin,"
                    + "globex:globex-key-0123456789",
            "mapreduce.gateway.input-grants=acme:topic:acme-*,acme:path:acme,acme:s3:s3://lake/acme/",
            "mapreduce.coordinator.read-timeout=2s",
            "mapreduce.internal.token=" + GatewaySecurityIT.SERVICE_TOKEN
        })
@AutoConfigureRestTestClient
class GatewaySecurityIT {

    static final String ACME_KEY = "acme-key-0123456789";
    static final String OPS_KEY = "ops-key-0123456789";
    static final String GLOBEX_KEY = "globex-key-0123456789";
    static final String SERVICE_TOKEN = "service-token-0123456789";
    static final String JOB_ID = "0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b";
    /** The coordinator's answer to a submit by acme: it records the owner the gateway sends. */
    static final String SUBMITTED = "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"RUNNING\",\"owner\":\"acme\"}";

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final FakeCoordinator coordinator = FakeCoordinator.start();

    @DynamicPropertySource
    static void coordinatorUrl(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.coordinator.url", coordinator::url);
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.close();
    }

    /** Shows the caller the filter found, as controllers see it. */
    @RestController
    static class CallerController {
        @GetMapping("/api/test/caller")
        Map<String, Object> caller(HttpServletRequest request) {
            Caller caller = Caller.of(request);
            return Map.of("tenant", caller.tenant(), "admin", caller.admin());
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CallerControllerConfig {
        @Bean
        CallerController callerController() {
            return new CallerController();
        }
    }

    @Autowired
    RestTestClient client;

    @LocalServerPort
    int port;

    @BeforeEach
    void resetCoordinator() {
        coordinator.reset();
    }

    // --- API keys ---

    @Test
    void aCallWithoutAKeyIsA401ProblemAndReachesNothing() {
        client.get()
                .uri("/api/jobs/" + JOB_ID)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "ApiKey")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(401)
                .jsonPath("$.instance")
                .isEqualTo("/api/jobs/" + JOB_ID)
                .jsonPath("$.detail")
                .isEqualTo("this gateway needs an API key in the X-API-Key header");
        assertThat(coordinator.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-key-0123456789", "acme-key-012345678", "acme", "acme:acme-key-0123456789"})
    void aCallWithAnUnknownKeyIsA401ProblemThatDoesNotRepeatTheKey(String key) {
        coordinator.answer(201, "application/json", SUBMITTED);

        client.post()
                .uri("/api/jobs")
                .header("X-API-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"a\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "ApiKey")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class)
                .value(body ->
                        assertThat(body).contains("names no known API key").doesNotContain(key));
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void aTenantsKeyMakesTheCallerThatTenant() {
        callerOf(ACME_KEY)
                .jsonPath("$.tenant")
                .isEqualTo("acme")
                .jsonPath("$.admin")
                .isEqualTo(false);
    }

    @Test
    void anAdminKeyMakesTheCallerAnAdmin() {
        callerOf(OPS_KEY)
                .jsonPath("$.tenant")
                .isEqualTo("ops")
                .jsonPath("$.admin")
                .isEqualTo(true);
    }

    @Test
    void aKnownKeyReachesTheCoordinatorWithTheServiceTokenAndTheOwner() {
        coordinator.answer(201, "application/json", SUBMITTED);

        client.post()
                .uri("/api/jobs")
                .header("X-API-Key", ACME_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"a\"}")
                .exchange()
                .expectStatus()
                .isCreated();
        assertThat(coordinator.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/internal/jobs");
            assertThat(r.headers()).containsEntry("x-mapreduce-owner", "acme");
            assertThat(r.headers()).containsEntry("authorization", "Bearer " + SERVICE_TOKEN);
        });
    }

    // --- input grants ---

    @Test
    void aTenantsSubmitCarriesItsInputGrantsAndAnAdminsNone() {
        Map<String, String> sent = new LinkedHashMap<>();
        for (String key : new String[] {ACME_KEY, GLOBEX_KEY, OPS_KEY}) {
            coordinator.reset();
            coordinator.answer(201, "application/json", SUBMITTED);
            client.post()
                    .uri("/api/jobs")
                    .header("X-API-Key", key)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"jobName\":\"a\"}")
                    .exchange();
            sent.put(key, coordinator.requests().get(0).headers().get("x-mapreduce-inputs"));
        }

        assertThat(sent.get(ACME_KEY)).isEqualTo("topic:acme-*,path:acme,s3:s3://lake/acme");
        assertThat(sent.get(GLOBEX_KEY)).as("a tenant without grants").isEqualTo("none");
        assertThat(sent.get(OPS_KEY)).as("an admin reads everything").isNull();
    }

    @Test
    void theInputsListIsTheCallersOwnGrants() {
        client.get()
                .uri("/api/inputs")
                .header("X-API-Key", ACME_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .json(
                        """
                        {"tenant":"acme","all":false,"topics":["acme-*"],"paths":["acme"],"objects":["s3://lake/acme"]}
                        """);
        client.get()
                .uri("/api/inputs")
                .header("X-API-Key", GLOBEX_KEY)
                .exchange()
                .expectBody()
                .json(
                        """
                        {"tenant":"globex","all":false,"topics":[],"paths":[],"objects":[]}""");
        client.get()
                .uri("/api/inputs")
                .header("X-API-Key", OPS_KEY)
                .exchange()
                .expectBody()
                .json("""
                        {"tenant":"ops","all":true}""");
        client.get().uri("/api/inputs").exchange().expectStatus().isUnauthorized();
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void theHealthMetricsAndDashboardNeedNoKey() {
        // the health may be DOWN (503) where the gateway's database is missing: that is not this test's business
        client.get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .value(status -> assertThat(status).isIn(200, 503))
                .expectBody()
                .jsonPath("$.status")
                .exists();
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        client.get().uri("/").exchange().expectStatus().value(status -> assertThat(status)
                .isNotEqualTo(401));
    }

    // --- the OpenAPI description and Swagger UI, open to all ---

    @Test
    void theOpenApiDescriptionNeedsNoKeyAndListsTheApi() {
        String body = client.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        JsonNode api = JSON.readTree(body);
        assertThat(api.path("openapi").asString()).startsWith("3.");
        assertThat(api.path("info").path("title").asString()).isEqualTo("MapReduce gateway API");
        assertThat(api.path("paths").propertyNames())
                .contains("/api/jobs", "/api/jobs/{jobId}", "/api/jobs/{jobId}/cancel")
                .allSatisfy(path -> assertThat(path).startsWith("/api/"));
        JsonNode scheme = api.path("components").path("securitySchemes").path("ApiKey");
        assertThat(scheme.path("type").asString()).isEqualTo("apiKey");
        assertThat(scheme.path("in").asString()).isEqualTo("header");
        assertThat(scheme.path("name").asString()).isEqualTo("X-API-Key");
        JsonNode submit = api.path("paths").path("/api/jobs").path("post").path("responses");
        assertThat(submit.propertyNames()).contains("401", "413", "429", "503");
        assertThat(submit.path("429").path("headers").has("Retry-After")).isTrue();
    }

    @Test
    void swaggerUiNeedsNoKey() {
        client.get()
                .uri("/swagger-ui.html")
                .exchange()
                .expectStatus()
                .is3xxRedirection()
                .expectHeader()
                .value("Location", location -> assertThat(location).endsWith("/swagger-ui/index.html"));
        client.get()
                .uri("/swagger-ui/index.html")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("swagger-ui"));
    }

    // --- body size ---

    @Test
    void aBodyDeclaredOverOneMebibyteIsA413ProblemOnAnyApiPath() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/jobs/" + JOB_ID + "/cancel"))
                .header("X-API-Key", ACME_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[RequestBodyLimitFilter.MAX_BODY_BYTES + 1])));

        assertTooLarge(response, "/api/jobs/" + JOB_ID + "/cancel");
    }

    @Test
    void aChunkedBodyOverOneMebibyteIsA413Problem() throws Exception {
        byte[] body = ("{\"jobName\":\"" + "x".repeat(RequestBodyLimitFilter.MAX_BODY_BYTES) + "\"}").getBytes();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/jobs"))
                .header("X-API-Key", ACME_KEY)
                .header("Content-Type", "application/json")
                .POST(chunked(body)));

        assertTooLarge(response, "/api/jobs");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsPassedOnWhole() throws Exception {
        coordinator.answer(201, "application/json", SUBMITTED);
        String name = "y".repeat(200);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/jobs"))
                .header("X-API-Key", ACME_KEY)
                .header("Content-Type", "application/json")
                .POST(chunked(("{\"jobName\":\"" + name + "\",\"numMappers\":3}").getBytes())));

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode forwarded = JSON.readTree(coordinator.requests().get(0).body());
        assertThat(forwarded.path("jobName").asString()).isEqualTo(name);
        assertThat(forwarded.path("numMappers").asInt()).isEqualTo(3);
    }

    private RestTestClient.BodyContentSpec callerOf(String key) {
        return client.get()
                .uri("/api/test/caller")
                .header("X-API-Key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody();
    }

    private void assertTooLarge(HttpResponse<String> response, String path) {
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("instance").asString()).isEqualTo(path);
        assertThat(coordinator.requests()).isEmpty();
    }

    /** A body of unknown length, so that the client sends it chunked. */
    private static HttpRequest.BodyPublisher chunked(byte[] body) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
