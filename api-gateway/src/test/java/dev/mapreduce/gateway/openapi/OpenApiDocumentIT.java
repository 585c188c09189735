package dev.mapreduce.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI description the gateway serves is valid to swagger-parser with every reference
 * resolved, and says what the API does: request bodies with their schemas and examples, the real
 * statuses, a {@code Problem} body for every error, and response schemas instead of bytes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class OpenApiDocumentIT {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    RestTestClient client;

    String served() {
        return client.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    JsonNode servedTree() {
        return JSON.readTree(served());
    }

    @Test
    void theServedDescriptionParsesWithNoMessagesAndNoMissingReference() {
        String document = served();

        assertThat(OpenApiValidation.parserMessages(document)).isEmpty();
        assertThat(OpenApiValidation.missingReferences(document)).isEmpty();
    }

    @Test
    void theDescriptionIsTheSameWhenServedAgain() {
        String first = served();
        client.get()
                .uri("/v3/api-docs/swagger-config")
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(served()).isEqualTo(first);
    }

    @Test
    void theValidationFailsOnADescriptionWithAMissingReference() {
        ObjectNode document = (ObjectNode) servedTree();
        ((ObjectNode) document.path("components").path("schemas")).remove("Problem");
        String broken = JSON.writeValueAsString(document);

        assertThat(OpenApiValidation.parserMessages(broken)).isNotEmpty().anySatisfy(message -> assertThat(message)
                .contains("Problem"));
        assertThat(OpenApiValidation.missingReferences(broken)).contains("#/components/schemas/Problem");
    }

    @Test
    void submittingAJobTakesAJobRequestWithAnExampleAndAnswers201WithTheJob() {
        JsonNode api = servedTree();
        JsonNode submit = api.path("paths").path("/api/jobs").path("post");

        JsonNode body = submit.path("requestBody");
        assertThat(body.path("required").asBoolean()).isTrue();
        JsonNode json = body.path("content").path("application/json");
        assertThat(json.path("schema").path("$ref").asString()).isEqualTo("#/components/schemas/JobRequest");
        assertThat(json.path("examples")
                        .path("word count")
                        .path("value")
                        .path("inputTopic")
                        .asString())
                .isEqualTo("application-logs");
        JsonNode request = api.path("components").path("schemas").path("JobRequest");
        assertThat(request.path("properties").propertyNames())
                .contains(
                        "jobName",
                        "inputTopic",
                        "numMappers",
                        "numReducers",
                        "mapFunction",
                        "reduceFunction",
                        "requestId");
        assertThat(request.path("required").values())
                .extracting(JsonNode::asString)
                .containsExactly("jobName");

        JsonNode responses = submit.path("responses");
        assertThat(responses.propertyNames())
                .containsExactlyInAnyOrder("200", "201", "400", "401", "413", "415", "422", "429", "502", "503");
        // 200: a repeated requestId, answered with the job it first made
        assertThat(responses
                        .path("200")
                        .path("content")
                        .path("application/json")
                        .path("schema")
                        .path("$ref")
                        .asString())
                .isEqualTo("#/components/schemas/SubmittedJob");
        assertThat(responses
                        .path("201")
                        .path("content")
                        .path("application/json")
                        .path("schema")
                        .path("$ref")
                        .asString())
                .isEqualTo("#/components/schemas/SubmittedJob");
        assertThat(responses.path("201").path("headers").has("Location")).isTrue();
    }

    @Test
    void everyOperationAnswersASchemaAndEveryErrorIsAProblem() {
        JsonNode api = servedTree();
        List<String> wrong = new ArrayList<>();
        api.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(method -> {
                    String operation = method.getKey().toUpperCase() + " " + path.getKey();
                    JsonNode responses = method.getValue().path("responses");
                    boolean success = false;
                    for (String status : responses.propertyNames()) {
                        JsonNode content = responses.path(status).path("content");
                        if (status.startsWith("2")) {
                            success = true;
                            if (!status.equals("204") && content.isEmpty()) {
                                wrong.add(operation + " " + status + " has no content");
                            }
                            content.properties().forEach(media -> {
                                if (media.getKey().equals(MediaType.ALL_VALUE)) {
                                    wrong.add(operation + " " + status + " answers */*");
                                }
                                if (media.getValue()
                                        .path("schema")
                                        .path("format")
                                        .asString()
                                        .equals("byte")) {
                                    wrong.add(operation + " " + status + " answers bytes");
                                }
                            });
                        } else if (!content.path(MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                                .path("schema")
                                .path("$ref")
                                .asString()
                                .equals("#/components/schemas/Problem")) {
                            wrong.add(operation + " " + status + " is not a Problem");
                        }
                    }
                    if (!success) {
                        wrong.add(operation + " has no success answer");
                    }
                }));

        assertThat(wrong).isEmpty();
    }

    @Test
    void theProblemHasTheRfc9457FieldsAndOurExtensions() {
        JsonNode problem = servedTree().path("components").path("schemas").path("Problem");

        assertThat(problem.path("properties").propertyNames())
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "errors", "jobStatus");
    }

    @Test
    void everyStatusTheGatewayGivesIsDescribedWhereItHappens() {
        JsonNode paths = servedTree().path("paths");

        assertThat(statuses(paths, "/api/jobs", "get")).contains("200", "400", "502", "503");
        assertThat(statuses(paths, "/api/jobs/{jobId}", "get")).contains("200", "404");
        assertThat(statuses(paths, "/api/jobs/{jobId}", "delete")).contains("204", "404", "409");
        assertThat(statuses(paths, "/api/jobs/{jobId}/cancel", "post")).contains("200", "404", "409");
        assertThat(statuses(paths, "/api/jobs/{jobId}/results", "get"))
                .contains("200", "400", "404", "406", "409")
                .doesNotContain("502", "503");
        assertThat(statuses(paths, "/api/formats/preview", "post"))
                .contains("200", "400")
                .doesNotContain("502", "503");
        assertThat(statuses(paths, "/api/jobs/events", "get")).contains("200", "503");
        paths.properties().forEach(path -> path.getValue().properties().forEach(method -> assertThat(
                        method.getValue().path("responses").propertyNames())
                .as(method.getKey() + " " + path.getKey())
                .contains("401", "413", "429")));
    }

    @Test
    void thePreviewExamplesAreRequestsTheGatewayAnswers() {
        JsonNode examples = servedTree()
                .path("paths")
                .path("/api/formats/preview")
                .path("post")
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("examples");

        assertThat(examples.propertyNames()).isNotEmpty();
        examples.properties().forEach(example -> client.post()
                .uri("/api/formats/preview")
                .contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(example.getValue().path("value")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.parsed")
                .value(parsed -> assertThat(((Number) parsed).intValue()).isPositive()));
    }

    @Test
    void everySchemaInTheComponentsIsUsed() {
        String document = served();
        JsonNode schemas = JSON.readTree(document).path("components").path("schemas");
        Set<String> unused = new HashSet<>(schemas.propertyNames());
        unused.removeIf(name -> document.contains("\"#/components/schemas/" + name + "\""));

        assertThat(unused).isEmpty();
    }

    private static Set<String> statuses(JsonNode paths, String path, String method) {
        return new HashSet<>(paths.path(path).path(method).path("responses").propertyNames());
    }
}
