package dev.mapreduce.gateway.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.gateway.FakeCoordinator;
import dev.mapreduce.gateway.TestCallers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /api/formats} and {@code POST /api/formats/preview}: answered by the gateway alone. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import(TestCallers.class)
class FormatApiIT {

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

    JsonNode post(String body, int status) {
        String answer = client.post()
                .uri("/api/formats/preview")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(answer);
    }

    @Test
    void theCatalogueListsEveryFormatAndPresetWithFieldsAndSamples() {
        JsonNode catalogue = JSON.readTree(client.get()
                .uri("/api/formats")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
        List<String> names = catalogue
                .path("formats")
                .valueStream()
                .map(f -> f.path("name").asString())
                .toList();
        assertThat(names)
                .containsExactly(
                        "default",
                        "json",
                        "logfmt",
                        "regex",
                        "grok",
                        "csv",
                        "tsv",
                        "apache_common",
                        "apache_combined",
                        "apache_error",
                        "syslog_rfc3164",
                        "syslog_rfc5424",
                        "log4j",
                        "ecs_json",
                        "logfmt");
        JsonNode combined = catalogue
                .path("formats")
                .valueStream()
                .filter(f -> f.path("name").asString().equals("apache_combined"))
                .findFirst()
                .orElseThrow();
        assertThat(combined.path("kind").asString()).isEqualTo("preset");
        assertThat(combined.path("timestampField").asString()).isEqualTo("timestamp");
        assertThat(combined.path("fields")
                        .valueStream()
                        .map(f ->
                                f.path("name").asString() + ":" + f.path("type").asString()))
                .contains("status:LONG", "bytes:LONG", "timestamp:TIMESTAMP", "path:STRING");
        assertThat(combined.path("sampleLines")).isNotEmpty();
        assertThat(catalogue.path("timestampPatterns").valueStream().map(JsonNode::asString))
                .contains("ISO8601", "HTTPDATE", "SYSLOG");
        assertThat(catalogue.path("defaultMaxMalformedRatio").asDouble()).isEqualTo(0.5);
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void aPreviewShowsEachLinesFieldsOrWhy() {
        JsonNode preview = post(
                "{\"format\":\"apache_combined\",\"lines\":[\"203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] \\\"GET /cart"
                        + " HTTP/1.1\\\" 200 2326 \\\"-\\\" \\\"curl/8\\\"\",\"not one\"]}",
                200);
        assertThat(preview.path("parsed").asInt()).isEqualTo(1);
        assertThat(preview.path("malformed").asInt()).isEqualTo(1);
        JsonNode first = preview.path("records").get(0);
        assertThat(first.path("line").asInt()).isEqualTo(1);
        assertThat(first.path("fields").path("status").asString()).isEqualTo("200");
        assertThat(first.path("fields").path("rest").isNull()).isTrue();
        assertThat(first.path("time").asString()).isEqualTo("2026-10-10T20:55:36Z");
        assertThat(first.has("error")).isFalse();
        JsonNode second = preview.path("records").get(1);
        assertThat(second.path("error").asString()).isEqualTo("no ident");
        assertThat(second.has("fields")).isFalse();
        JsonNode json = post(
                "{\"format\":{\"type\":\"json\",\"fields\":{\"level\":\"log.level\"}},\"lines\":\"{\\\"log\\\":{\\\"level\\\":\\\"WARN\\\"}}\\n\"}",
                200);
        assertThat(json.path("records").get(0).path("fields").path("level").asString())
                .isEqualTo("WARN");
        assertThat(json.path("fields").valueStream().map(f -> f.path("name").asString()))
                .contains("level", "log.level");
    }

    @Test
    void aBadFormatIsA400NamingEveryProblemAtOnce() {
        JsonNode problem = post(
                "{\"format\":{\"type\":\"grok\",\"pattern\":\"%{NOPE:a} %{IP:client}\",\"fields\":{\"x\":\"nowhere\"},"
                        + "\"timestamp\":{\"zone\":\"Mars/Olympus\"}},\"lines\":\"x\"}",
                400);
        assertThat(problem.path("title").asString()).isEqualTo("Invalid format");
        assertThat(problem.path("errors")
                        .valueStream()
                        .map(e -> e.path("field").asString() + ": "
                                + e.path("message").asString()))
                .anySatisfy(e -> assertThat(e).startsWith("format.pattern: unknown grok pattern 'NOPE'"))
                .anySatisfy(e -> assertThat(e).startsWith("format.timestamp.zone: 'Mars/Olympus' is not a zone"));
        JsonNode unknown = post("{\"format\":\"nginx\",\"lines\":\"x\"}", 400);
        assertThat(unknown.path("errors").get(0).path("field").asString()).isEqualTo("format.type");
        assertThat(unknown.path("errors").get(0).path("message").asString()).startsWith("unknown format 'nginx'");
        JsonNode mapping =
                post("{\"format\":{\"type\":\"apache_common\",\"fields\":{\"message\":\"req\"}},\"lines\":\"x\"}", 400);
        assertThat(mapping.path("errors").get(0).path("field").asString()).isEqualTo("format.fields.message");
        assertThat(mapping.path("errors").get(0).path("message").asString())
                .startsWith("'req' is not a field of format apache_common; its fields: client");
        JsonNode regex = post("{\"format\":{\"type\":\"regex\",\"pattern\":\"(a+\"},\"lines\":\"x\"}", 400);
        assertThat(regex.path("errors").get(0).path("message").asString()).startsWith("not a valid RE2 pattern");
    }

    @Test
    void aRequestThatIsNotOneIsA400ListingItsWrongFields() {
        JsonNode problem =
                post("{\"lines\":[1,\"ok\"],\"colour\":\"red\",\"format\":{\"type\":\"json\",\"shape\":1}}", 400);
        assertThat(problem.path("errors").valueStream().map(e -> e.path("field").asString()))
                .containsExactlyInAnyOrder("colour", "format.shape", "lines[0]");
        assertThat(post("[]", 400).path("detail").asString()).contains("must be a JSON object");
        assertThat(post("{\"format\":\"json\"", 400).path("detail").asString())
                .startsWith("the request body is not valid JSON");
        assertThat(post("{\"format\":7,\"lines\":\"x\"}", 400)
                        .path("errors")
                        .get(0)
                        .path("message")
                        .asString())
                .isEqualTo("must be a format name or a format object");
    }
}
