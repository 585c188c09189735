package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.BodyContentSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place a submit is checked: the coordinator fills in the defaults and validates the job
 * ({@code JobRequest.validate}) before anything is recorded. A wrong job is a 400 problem naming every wrong field
 * (a query's with its line and column), which the gateway relays unchanged, and no job.
 */
class InvalidSubmitIT extends CoordinatorTestBase {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    RestTestClient client;

    @Autowired
    JdbcTemplate jdbc;

    static Stream<Arguments> wrongFields() {
        return Stream.of(
                Arguments.of("{}", "jobName"),
                Arguments.of("{\"jobName\":\"   \"}", "jobName"),
                Arguments.of("{\"jobName\":\"a\",\"numMappers\":0}", "numMappers"),
                Arguments.of("{\"jobName\":\"a\",\"numMappers\":100000}", "numMappers"),
                Arguments.of("{\"jobName\":\"a\",\"numReducers\":-1}", "numReducers"),
                Arguments.of("{\"jobName\":\"a\",\"mapFunction\":\"NOPE\"}", "mapFunction"),
                Arguments.of("{\"jobName\":\"a\",\"reduceFunction\":\"MEDIAN\"}", "reduceFunction"),
                Arguments.of("{\"jobName\":\"a\",\"inputTopic\":\"no spaces allowed\"}", "inputTopic"),
                Arguments.of("{\"jobName\":\"a\",\"inputPath\":\"../etc\"}", "inputPath"),
                Arguments.of("{\"jobName\":\"a\",\"inputPath\":\"logs/../../etc\"}", "inputPath"),
                Arguments.of("{\"jobName\":\"a\",\"inputPath\":\"/etc/passwd\"}", "inputPath"),
                Arguments.of("{\"jobName\":\"a\",\"inputPath\":\"..\\\\x\"}", "inputPath"),
                Arguments.of("{\"jobName\":\"a\",\"inputPath\":\"a\\u0000b\"}", "inputPath"),
                Arguments.of("{\"jobName\":\"a\",\"inputPath\":\"\"}", "inputPath"),
                Arguments.of("{\"jobName\":\"a\",\"to\":\"1969-12-31T00:00:00Z\"}", "to"),
                Arguments.of(
                        "{\"jobName\":\"a\",\"from\":\"2026-11-21T00:00:00Z\",\"to\":\"2026-11-20T00:00:00Z\"}", "to"),
                Arguments.of(
                        "{\"jobName\":\"a\",\"mapFunction\":\"ERROR_PATTERN\",\"parameters\":{\"pattern.X\":\"(a\"}}",
                        "parameters"),
                Arguments.of("{\"jobName\":\"a\",\"maxMalformedRatio\":1.5}", "maxMalformedRatio"),
                Arguments.of("{\"jobName\":\"a\",\"requestId\":\"\"}", "requestId"),
                Arguments.of("{\"jobName\":\"a\",\"requestId\":\"" + "k".repeat(101) + "\"}", "requestId"),
                Arguments.of(
                        "{\"jobName\":\"q\",\"query\":\"SELECT count(*) FROM logs\",\"mapFunction\":\"WORD_COUNT\"}",
                        "mapFunction"),
                Arguments.of(
                        "{\"jobName\":\"f\",\"mapFunction\":\"LEVEL_COUNT\",\"format\":\"apache\"}", "format.type"),
                Arguments.of(
                        "{\"jobName\":\"f\",\"mapFunction\":\"LEVEL_COUNT\",\"format\":{\"type\":\"regex\",\"pattern\":\"(?P<a>x\"}}",
                        "format.pattern"),
                Arguments.of(
                        "{\"jobName\":\"c\",\"inputTopic\":\"t\",\"mapFunction\":\"COUNT_BY\",\"parameters\":{\"field\":\"user\"},"
                                + "\"format\":\"csv\"}",
                        "format.header"));
    }

    @ParameterizedTest
    @MethodSource("wrongFields")
    void aWrongFieldIsA400ProblemNamingTheFieldAndNoJob(String body, String field) {
        // lenient: the one entry of errors may say more than its field
        submitRefused(body)
                .json("{\"status\":400,\"title\":\"Invalid job\",\"errors\":[{\"field\":\"" + field + "\"}]}")
                .jsonPath("$.detail")
                .value(String.class, detail -> assertThat(detail).contains(field))
                .jsonPath("$.errors[0].message")
                .value(String.class, message -> assertThat(message).isNotBlank());
    }

    @Test
    void everyWrongFieldIsNamedInOneAnswer() {
        submitRefused("{\"inputTopic\":\"app\",\"inputPath\":\"logs\",\"numReducers\":0,\"mapFunction\":\"NOPE\"}")
                .jsonPath("$.errors[*].field")
                .value(List.class, fields -> assertThat(fields)
                        .containsExactlyInAnyOrder("jobName", "inputTopic", "inputPath", "numReducers", "mapFunction"));
    }

    /** Every query of the engine's corpus of bad queries (syntax, names, types, unsupported constructs, regexes, 1 MB). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mapreduce.engine.sql.BadQueries#all")
    void aBadQueryIsA400WithItsPositionAndNoJob(String name, String query, int line, int column, String says) {
        submitRefused(JSON.writeValueAsString(Map.of("jobName", "bad", "query", query)))
                .jsonPath("$.errors[0].field")
                .isEqualTo("query")
                .jsonPath("$.errors[0].message")
                .value(String.class, m -> assertThat(m).containsIgnoringCase(says))
                .jsonPath("$.errors[0].line")
                .isEqualTo(line)
                .jsonPath("$.errors[0].column")
                .isEqualTo(column);
    }

    /** Submits {@code body}, expects a 400 problem and no new job, and returns the problem to check further. */
    private BodyContentSpec submitRefused(String body) {
        Integer before = jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class);
        BodyContentSpec problem = client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class))
                .isEqualTo(before);
        return problem;
    }
}
