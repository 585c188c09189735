package dev.mapreduce.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.gateway.FakeCoordinator;
import dev.mapreduce.gateway.FakeCoordinator.Answer;
import dev.mapreduce.gateway.FakeCoordinator.Request;
import dev.mapreduce.gateway.TestCallers;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job management API against a fake coordinator: the list, tasks, delete, workers and
 * functions, and that a tenant never gets near another tenant's job.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "mapreduce.coordinator.read-timeout=1s")
@AutoConfigureRestTestClient
@Import(TestCallers.class)
class JobManagementApiIT {

    static final String JOB_ID = "0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b";
    static final String JOB_PATH = "/internal/jobs/" + JOB_ID;
    static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    /** As the coordinator answers it (Spring leaves out the default type, about:blank). */
    static final String UNKNOWN_JOB = "{\"title\":\"Job not found\",\"status\":404,\"detail\":\"no job " + JOB_ID
            + "\",\"instance\":\"" + JOB_PATH + "\"}";

    static final JsonMapper JSON = JsonMapper.builder().build();

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

    @BeforeEach
    void resetCoordinator() {
        coordinator.reset();
    }

    static String job(String owner) {
        return "{\"jobId\":\"" + JOB_ID + "\",\"jobName\":\"wc\",\"status\":\"COMPLETED\",\"owner\":"
                + (owner == null ? "null" : "\"" + owner + "\"") + "}";
    }

    static Answer json(String body) {
        return new Answer(200, "application/json", body);
    }

    // --- the list ---

    @Test
    void theListIsRelayedWithItsFiltersAndPassedThroughUnchanged() {
        String page = "{\"jobs\":[],\"total\":0,\"limit\":5,\"offset\":10}";
        coordinator.answer(200, "application/json", page);

        String answer = client.get()
                .uri("/api/jobs?status={s}&name={n}&limit=5&offset=10", "RUNNING,FAILED", "a&b +c%")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(answer).isEqualTo(page);
        Request forwarded = onlyRequest();
        assertThat(forwarded.method()).isEqualTo("GET");
        assertThat(forwarded.path()).isEqualTo("/internal/jobs");
        assertThat(forwarded.parameters())
                .isEqualTo(Map.of("status", "RUNNING,FAILED", "name", "a&b +c%", "limit", "5", "offset", "10"));
    }

    @Test
    void theListDefaultsToTheFirstTwentyOfEveryTenantForAnAdmin() {
        coordinator.answer(200, "application/json", "{\"jobs\":[],\"total\":0,\"limit\":20,\"offset\":0}");

        client.get().uri("/api/jobs").exchange().expectStatus().isOk();
        client.get().uri("/api/jobs?owner=globex").exchange().expectStatus().isOk();

        assertThat(coordinator.requests().get(0).parameters()).isEqualTo(Map.of("limit", "20", "offset", "0"));
        assertThat(coordinator.requests().get(1).parameters())
                .isEqualTo(Map.of("owner", "globex", "limit", "20", "offset", "0"));
    }

    @Test
    void aTenantListsOnlyItsOwnJobsWhateverOwnerItAsksFor() {
        coordinator.answer(200, "application/json", "{\"jobs\":[],\"total\":0,\"limit\":20,\"offset\":0}");

        client.get()
                .uri("/api/jobs?owner=globex")
                .header(TestCallers.HEADER, "acme")
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(onlyRequest().parameters()).containsEntry("owner", "acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=201", "limit=ten", "offset=-1", "offset=1.5", "limit=9999999999"})
    void aPageOutOfRangeIsA400ProblemAndNothingReachesTheCoordinator(String query) {
        client.get()
                .uri("/api/jobs?" + query)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Invalid query")
                .jsonPath("$.errors[0].field")
                .isEqualTo(query.substring(0, query.indexOf('=')));
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void theCoordinatorsProblemWithAStatusIsRelayed() {
        coordinator.answer(
                400,
                PROBLEM_JSON,
                "{\"title\":\"Invalid query\",\"status\":400,\"detail\":\"status 'DONE' is not a job status\","
                        + "\"errors\":[{\"field\":\"status\",\"message\":\"'DONE' is not a job status\"}]}");

        client.get()
                .uri("/api/jobs?status=DONE")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("status")
                .jsonPath("$.instance")
                .isEqualTo("/api/jobs");
    }

    // --- tasks, delete, workers ---

    @Test
    void tasksAreRelayedUnchanged() {
        String tasks = "{\"jobId\":\"" + JOB_ID + "\",\"tasks\":[{\"type\":\"MAP\",\"index\":0,\"attempts\":[]}]}";
        coordinator.answer(200, "application/json", tasks);

        String answer = client.get()
                .uri("/api/jobs/{id}/tasks", JOB_ID)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(answer).isEqualTo(tasks);
        assertThat(onlyRequest().path()).isEqualTo(JOB_PATH + "/tasks");
    }

    @Test
    void tasksOfAnUnknownJobAreTheCoordinators404() {
        coordinator.answer(404, PROBLEM_JSON, UNKNOWN_JOB);

        client.get()
                .uri("/api/jobs/{id}/tasks", JOB_ID)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("no job " + JOB_ID);
        client.get().uri("/api/jobs/nope/tasks").exchange().expectStatus().isNotFound();
    }

    @Test
    void aDeleteIsForwardedAndAnswers204() {
        coordinator.answer(204, null, "");

        client.delete().uri("/api/jobs/{id}", JOB_ID).exchange().expectStatus().isNoContent();

        assertThat(onlyRequest().method()).isEqualTo("DELETE");
        assertThat(onlyRequest().path()).isEqualTo(JOB_PATH);
    }

    @Test
    void deletingARunningJobIsTheCoordinators409WithTheJobStatus() {
        coordinator.answer(
                409,
                PROBLEM_JSON,
                "{\"title\":\"Job still running\",\"status\":409,\"detail\":\"job " + JOB_ID
                        + " is RUNNING; cancel it before deleting it\",\"jobStatus\":\"RUNNING\"}");

        client.delete()
                .uri("/api/jobs/{id}", JOB_ID)
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.jobStatus")
                .isEqualTo("RUNNING")
                .jsonPath("$.instance")
                .isEqualTo("/api/jobs/" + JOB_ID);
    }

    @Test
    void deletingAnUnknownJobIsA404AndANonUuidNeverReachesTheCoordinator() {
        coordinator.answer(404, PROBLEM_JSON, UNKNOWN_JOB);

        client.delete().uri("/api/jobs/{id}", JOB_ID).exchange().expectStatus().isNotFound();
        client.delete().uri("/api/jobs/not-a-job").exchange().expectStatus().isNotFound();

        assertThat(coordinator.requests()).hasSize(1);
    }

    @Test
    void workersAreRelayedUnchanged() {
        String workers =
                "{\"workers\":[{\"workerId\":\"map-worker-1\",\"type\":\"MAP\",\"status\":\"ALIVE\",\"runningTasks\":1}]}";
        coordinator.answer(200, "application/json", workers);

        String answer = client.get()
                .uri("/api/workers")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(answer).isEqualTo(workers);
        assertThat(onlyRequest().path()).isEqualTo("/internal/workers");
    }

    @Test
    void workersWhenTheCoordinatorFailsAreA502AndWhenItHangsA503() {
        coordinator.answer(500, "text/plain", "boom");
        client.get().uri("/api/workers").exchange().expectStatus().isEqualTo(502);

        coordinator.hang();
        client.get()
                .uri("/api/workers")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    // --- functions ---

    @Test
    void functionsListTheCatalogueWithParametersAndTheBuiltInPatterns() {
        client.get()
                .uri("/api/functions")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.mapFunctions[*].name")
                .isEqualTo(List.of(
                        "WORD_COUNT",
                        "SERVICE_DISTRIBUTION",
                        "LEVEL_COUNT",
                        "ERROR_PATTERN",
                        "LATENCY",
                        "COUNT_BY",
                        "VALUE_BY"))
                .jsonPath("$.mapFunctions[0].description")
                .isNotEmpty()
                .jsonPath("$.mapFunctions[0].parameters")
                .isEmpty()
                .jsonPath("$.mapFunctions[0].patterns")
                .doesNotExist()
                .jsonPath("$.mapFunctions[3].parameters[0].name")
                .isEqualTo("pattern.NAME")
                .jsonPath("$.mapFunctions[3].parameters[0].description")
                .isNotEmpty()
                .jsonPath("$.mapFunctions[3].parameters[0].default")
                .isEmpty()
                .jsonPath("$.mapFunctions[3].patterns[0].name")
                .isEqualTo("TIMEOUT")
                .jsonPath("$.mapFunctions[3].patterns[0].regex")
                .isNotEmpty()
                .jsonPath("$.mapFunctions[3].patterns[0].description")
                .isNotEmpty()
                .jsonPath("$.mapFunctions[3].patterns[*].name")
                .value(names -> assertThat((List<Object>) names).contains("HTTP_5XX", "OUT_OF_MEMORY"))
                .jsonPath("$.mapFunctions[5].parameters[*].name")
                .isEqualTo(List.of("field"))
                .jsonPath("$.mapFunctions[6].parameters[*].name")
                .isEqualTo(List.of("key", "value"))
                .jsonPath("$.reduceFunctions[*].name")
                .isEqualTo(List.of("SUM", "COUNT", "MIN", "MAX", "AVG"))
                .jsonPath("$.reduceFunctions[4].description")
                .isNotEmpty();
        assertThat(coordinator.requests()).isEmpty();
    }

    // --- tenants ---

    @Test
    void aSubmitCarriesTheCallersTenantAsOwner() {
        coordinator.answer(
                201, "application/json", job("acme").replace("}", ",\"message\":\"Job submitted successfully\"}"));

        submit("acme")
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.owner")
                .isEqualTo("acme");
        assertThat(onlyRequest().headers()).containsEntry("x-mapreduce-owner", "acme");

        coordinator.reset();
        coordinator.answer(201, "application/json", job("anonymous"));
        client.post()
                .uri("/api/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"wc\"}")
                .exchange()
                .expectStatus()
                .isCreated();
        assertThat(onlyRequest().headers()).containsEntry("x-mapreduce-owner", "anonymous");
    }

    @Test
    void aSubmitTheCoordinatorRecordedForAnotherTenantIsNotShown() {
        coordinator.answer(201, "application/json", job(null));

        submit("acme")
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.owner")
                .doesNotExist();
    }

    @Test
    void aTenantSeesItsOwnJob() {
        coordinator.answer(200, "application/json", job("acme"));

        asTenant("acme", "/api/jobs/" + JOB_ID)
                .expectStatus()
                .isOk()
                .expectBody()
                .json(job("acme"));
    }

    @Test
    void anotherTenantsJobIsA404ExactlyLikeAnUnknownJob() {
        coordinator.answer(404, PROBLEM_JSON, UNKNOWN_JOB);
        JsonNode unknown =
                body(asTenant("acme", "/api/jobs/" + JOB_ID).expectStatus().isNotFound());

        for (String owner : new String[] {"globex", null}) {
            coordinator.reset();
            coordinator.answer(200, "application/json", job(owner));
            JsonNode hidden = body(asTenant("acme", "/api/jobs/" + JOB_ID)
                    .expectStatus()
                    .isNotFound()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON));
            assertThat(hidden).isEqualTo(unknown);
        }
        // an admin sees it
        client.get()
                .uri("/api/jobs/" + JOB_ID)
                .header(TestCallers.HEADER, "root:admin")
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void anotherTenantsJobCannotBeFollowedCancelledOrDeleted() {
        coordinator.answer("GET", JOB_PATH, json(job("globex")));
        coordinator.answer("GET", JOB_PATH + "/tasks", json("{\"jobId\":\"" + JOB_ID + "\",\"tasks\":[]}"));
        coordinator.answer("POST", JOB_PATH + "/cancel", json(job("globex")));
        coordinator.answer("DELETE", JOB_PATH, new Answer(204, null, ""));

        asTenant("acme", "/api/jobs/" + JOB_ID + "/tasks").expectStatus().isNotFound();
        client.post()
                .uri("/api/jobs/{id}/cancel", JOB_ID)
                .header(TestCallers.HEADER, "acme")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("no job " + JOB_ID);
        client.delete()
                .uri("/api/jobs/{id}", JOB_ID)
                .header(TestCallers.HEADER, "acme")
                .exchange()
                .expectStatus()
                .isNotFound();

        assertThat(coordinator.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsOnly("GET " + JOB_PATH);
    }

    @Test
    void aTenantFollowsCancelsAndDeletesItsOwnJob() {
        coordinator.answer("GET", JOB_PATH, json(job("acme")));
        coordinator.answer("GET", JOB_PATH + "/tasks", json("{\"jobId\":\"" + JOB_ID + "\",\"tasks\":[]}"));
        coordinator.answer("POST", JOB_PATH + "/cancel", json(job("acme")));
        coordinator.answer("DELETE", JOB_PATH, new Answer(204, null, ""));

        asTenant("acme", "/api/jobs/" + JOB_ID + "/tasks").expectStatus().isOk();
        client.post()
                .uri("/api/jobs/{id}/cancel", JOB_ID)
                .header(TestCallers.HEADER, "acme")
                .exchange()
                .expectStatus()
                .isOk();
        client.delete()
                .uri("/api/jobs/{id}", JOB_ID)
                .header(TestCallers.HEADER, "acme")
                .exchange()
                .expectStatus()
                .isNoContent();

        assertThat(coordinator.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly(
                        "GET " + JOB_PATH,
                        "GET " + JOB_PATH + "/tasks",
                        "GET " + JOB_PATH,
                        "POST " + JOB_PATH + "/cancel",
                        "GET " + JOB_PATH,
                        "DELETE " + JOB_PATH);
    }

    private ResponseSpec submit(String tenant) {
        return client.post()
                .uri("/api/jobs")
                .header(TestCallers.HEADER, tenant)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"wc\"}")
                .exchange();
    }

    private ResponseSpec asTenant(String tenant, String uri) {
        return client.get().uri(uri).header(TestCallers.HEADER, tenant).exchange();
    }

    private static JsonNode body(ResponseSpec response) {
        byte[] body = response.expectBody().returnResult().getResponseBodyContent();
        return JSON.readTree(new String(body, StandardCharsets.UTF_8));
    }

    private static Request onlyRequest() {
        assertThat(coordinator.requests()).hasSize(1);
        return coordinator.requests().get(0);
    }
}
