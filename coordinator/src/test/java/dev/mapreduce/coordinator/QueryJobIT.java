package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.QueryResults;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * A query job on the coordinator's side: the query is stored with the job and sent, with the
 * format, in every map and reduce task message; a query that cannot run is a 400 with its
 * position and no job; when the job completes, its rows are cut to the query's OFFSET and LIMIT in
 * its ORDER BY, and a view gives them by name and type.
 */
class QueryJobIT extends ScriptedWorkersTestBase {

    static final String QUERY = "SELECT service, count(*) AS n FROM logs GROUP BY service ORDER BY n DESC LIMIT 2";

    @Test
    void theQueryGoesToEveryTaskAndTheCompletedJobKeepsItsTopRowsInAView() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 3);
        UUID jobId = submit("{\"jobName\":\"q\",\"inputTopic\":\"" + topic
                + "\",\"numMappers\":1,\"numReducers\":2,\"query\":\"" + QUERY + "\"}");

        TaskMessage map = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        assertThat(map.query()).isEqualTo(QUERY);
        assertThat(map.mapFunction()).isNull();
        assertThat(jdbc.queryForObject("SELECT query FROM jobs WHERE job_id = ?", String.class, jobId))
                .isEqualTo(QUERY);
        client.get()
                .uri("/internal/jobs/" + jobId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.query")
                .isEqualTo(QUERY)
                .jsonPath("$.resultsQuery")
                .isEqualTo("SELECT * FROM " + QueryResults.viewName(jobId) + ";");

        events.send(TaskEvent.started(map, "scripted-map"));
        events.send(TaskEvent.succeeded(map, "scripted-map", new AttemptCounters(3, 0, 3, 3, 100, 0, 0)));
        TaskMessage r0 = awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        TaskMessage r1 = awaitAttempt(jobId, TaskType.REDUCE, 1, 1);
        assertThat(List.of(r0, r1)).allSatisfy(r -> {
            assertThat(r.query()).isEqualTo(QUERY);
            assertThat(r.formatOrDefault()).isEqualTo(FormatSpec.DEFAULT);
        });

        // each partition's top rows, as reduce workers write them: n DESC is the inverted bytes of n
        row(jobId, "a", 5);
        row(jobId, "b", 9);
        row(jobId, "c", 7);
        row(jobId, "d", 1);
        for (TaskMessage r : List.of(r0, r1)) {
            jdbc.update(
                    "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows)"
                            + " VALUES (?, ?, ?, 'scripted-reduce', 2)",
                    jobId,
                    r.taskIndex(),
                    r.attempt());
            events.send(TaskEvent.started(r, "scripted-reduce"));
            events.send(TaskEvent.succeeded(r, "scripted-reduce", new AttemptCounters(0, 0, 0, 0, 0, 2, 2)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(status(jobId)));

        List<Map<String, Object>> view = jdbc.queryForList("SELECT * FROM " + QueryResults.viewName(jobId));
        assertThat(view).containsExactly(Map.of("service", "b", "n", 9L), Map.of("service", "c", "n", 7L));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM results WHERE job_id = ? AND result_value IS NOT NULL",
                        Long.class,
                        jobId))
                .isEqualTo(2);

        client.delete().uri("/internal/jobs/" + jobId).exchange().expectStatus().is2xxSuccessful();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM pg_views WHERE viewname = ?", Long.class, QueryResults.viewName(jobId)))
                .isZero();
    }

    private void row(UUID jobId, String service, long n) {
        byte[] ord = new byte[9];
        ord[0] = 1;
        long bits = n ^ Long.MIN_VALUE;
        for (int i = 8; i >= 1; i--) {
            ord[i] = (byte) ~bits;
            bits >>>= 8;
        }
        jdbc.update(
                "INSERT INTO results (job_id, result_key, result_value, result_row, result_ord)"
                        + " VALUES (?, ?, ?, ?::jsonb, decode(?, 'hex'))",
                jobId,
                service,
                n,
                "{\"service\":\"" + service + "\",\"n\":" + n + "}",
                HexFormat.of().formatHex(ord));
    }

    @Test
    void aQueryThatCannotRunIsA400WithItsPositionAndNoJob() {
        Integer before = jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class);

        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"bad\",\"inputTopic\":\"t\",\"query\":\"SELECT service FROM logs\\n"
                        + "GROUP BY ROLLUP(service)\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("query")
                .jsonPath("$.errors[0].message")
                .value(m -> assertThat(m.toString()).contains("ROLLUP"))
                .jsonPath("$.errors[0].line")
                .isEqualTo(2)
                .jsonPath("$.errors[0].column")
                .isEqualTo(10);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM jobs", Integer.class))
                .isEqualTo(before);
    }
}
