package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * A job's format: stored with the job, shown by the job view, sent in every map task message
 * (retries included), and refused with every problem named when it cannot be used; and its
 * malformed limit: past it, the job fails when its map phase ends, with the first sample and why.
 */
class JobFormatIT extends ScriptedWorkersTestBase {

    @Test
    void theFormatWithItsFieldMapIsStoredShownAndSentToEveryMapAttempt() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 3);

        UUID jobId = submit(
                """
                {"jobName":"requests","inputTopic":"%s","numMappers":1,"mapFunction":"WORD_COUNT",
                 "format":{"type":"apache_combined","types":{"bytes":"LONG"}},"fieldMap":{"message":"request"},
                 "maxMalformedRatio":0.05}"""
                        .formatted(topic));

        FormatSpec expected = new FormatSpec(
                "apache_combined",
                null,
                null,
                Map.of("message", "request"),
                Map.of("bytes", dev.mapreduce.engine.format.FieldType.LONG),
                null,
                null,
                null,
                null,
                null);
        TaskMessage first = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        assertThat(first.format()).isEqualTo(expected);
        // a retry is built from the stored job, not from the first message
        events.send(TaskEvent.started(first, "scripted-map"));
        events.send(TaskEvent.failed(first, "scripted-map", "IOException: once"));
        assertThat(awaitAttempt(jobId, TaskType.MAP, 0, 2).format()).isEqualTo(expected);

        client.get()
                .uri("/internal/jobs/" + jobId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.format.type")
                .isEqualTo("apache_combined")
                .jsonPath("$.format.fields.message")
                .isEqualTo("request")
                .jsonPath("$.format.types.bytes")
                .isEqualTo("LONG")
                .jsonPath("$.maxMalformedRatio")
                .isEqualTo(0.05);
        assertThat(jdbc.queryForObject("SELECT format->>'type' FROM jobs WHERE job_id = ?", String.class, jobId))
                .isEqualTo("apache_combined");
    }

    @Test
    void aJobWhoseMapTasksReadMoreMalformedRecordsThanItsLimitFailsWithTheFirstSampleAndTheReason() throws Exception {
        String topic = JobLifecycleIT.topicWith(2, 10, 10);
        UUID jobId = submit(
                """
                {"jobName":"wrong format","inputTopic":"%s","numMappers":2,"mapFunction":"COUNT_BY",
                 "parameters":{"field":"status"},"format":"apache_combined","maxMalformedRatio":0.5}"""
                        .formatted(topic));
        TaskMessage first = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        TaskMessage second = awaitAttempt(jobId, TaskType.MAP, 1, 1);
        List<MalformedRecords.Sample> samples = List.of(
                new MalformedRecords.Sample(
                        "topic " + topic + " partition 1 offset 0", "no [time] after the user", "{\"level\":\"INFO\"}"),
                new MalformedRecords.Sample("topic " + topic + " partition 1 offset 3", "empty line", ""));

        events.send(TaskEvent.started(first, "scripted-map"));
        events.send(TaskEvent.succeeded(first, "scripted-map", new AttemptCounters(10, 2, 8, 3, 100, 0, 0)));
        events.send(TaskEvent.started(second, "scripted-map"));
        events.send(TaskEvent.succeeded(second, "scripted-map", new AttemptCounters(10, 9, 1, 1, 30, 0, 0), samples));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("FAILED"));
        String error = jdbc.queryForObject("SELECT error FROM jobs WHERE job_id = ?", String.class, jobId);
        assertThat(error)
                .isEqualTo("11 of 20 records (55.0%) are not in format apache_combined, more than maxMalformedRatio 0.5"
                        + " allows; first: topic " + topic + " partition 1 offset 0: no [time] after the user:"
                        + " \"{\\\"level\\\":\\\"INFO\\\"}\"");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM tasks WHERE job_id = ? AND task_type = 'REDUCE'", Integer.class, jobId))
                .as("no reduce task runs")
                .isZero();
        client.get()
                .uri("/internal/jobs/" + jobId)
                .exchange()
                .expectBody()
                .jsonPath("$.counters.malformedRecords")
                .isEqualTo(11)
                .jsonPath("$.malformedSamples[0].where")
                .isEqualTo("topic " + topic + " partition 1 offset 0")
                .jsonPath("$.malformedSamples[1].reason")
                .isEqualTo("empty line");
    }

    @Test
    void aJobWithinItsMalformedLimitGoesOnToItsReducePhase() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 10);
        UUID jobId = submit(
                """
                {"jobName":"some malformed","inputTopic":"%s","numMappers":1,"numReducers":1,
                 "mapFunction":"COUNT_BY","parameters":{"field":"status"},"format":"apache_combined",
                 "maxMalformedRatio":0.5}"""
                        .formatted(topic));
        TaskMessage map = awaitAttempt(jobId, TaskType.MAP, 0, 1);

        events.send(TaskEvent.started(map, "scripted-map"));
        events.send(TaskEvent.succeeded(
                map,
                "scripted-map",
                new AttemptCounters(10, 5, 5, 2, 40, 0, 0),
                List.of(new MalformedRecords.Sample("topic " + topic + " partition 0 offset 4", "empty line", ""))));

        awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        assertThat(status(jobId)).isEqualTo("REDUCE_RUNNING");
    }

    @Test
    void aJobWithoutAFormatReadsTheDefaultOneWithTheDefaultLimit() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);

        UUID jobId = submit("{\"jobName\":\"plain\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1}");

        assertThat(awaitAttempt(jobId, TaskType.MAP, 0, 1).formatOrDefault()).isEqualTo(FormatSpec.DEFAULT);
        assertThat(jdbc.queryForObject("SELECT format IS NULL FROM jobs WHERE job_id = ?", Boolean.class, jobId))
                .isTrue();
        client.get()
                .uri("/internal/jobs/" + jobId)
                .exchange()
                .expectBody()
                .jsonPath("$.format.type")
                .isEqualTo("default")
                .jsonPath("$.maxMalformedRatio")
                .isEqualTo(0.5);
    }

    @Test
    void aFormatThatCannotServeTheJobIsA400NamingEveryProblemAndCreatesNoJob() {
        Integer before = jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class);

        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(
                        """
                        {"jobName":"bad","inputTopic":"t","mapFunction":"COUNT_BY","parameters":{"field":"nope"},
                         "format":{"type":"regex","pattern":"(?P<status>\\\\d+"},"maxMalformedRatio":1.5}""")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field")
                .value(fields -> assertThat(fields.toString()).contains("format.pattern", "maxMalformedRatio"));
        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(
                        """
                        {"jobName":"bad","inputTopic":"t","mapFunction":"COUNT_BY","parameters":{"field":"nope"},
                         "format":"apache_combined"}""")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("parameters.field")
                .jsonPath("$.errors[0].message")
                .value(m -> assertThat(m.toString()).contains("'nope'", "status"));

        assertThat(jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class))
                .isEqualTo(before);
    }
}
