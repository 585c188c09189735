package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.job.InternalJobController;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** A submit with a requestId makes one job however often, and however concurrently, it is repeated. */
class IdempotentSubmitIT extends ScriptedWorkersTestBase {

    /** The status and job id of a submit of {@code body} for {@code owner} (null: none). */
    record Answer(int status, String jobId, Object repeated) {}

    Answer submitAs(String owner, String body) {
        var post = client.post().uri("/internal/jobs").contentType(MediaType.APPLICATION_JSON);
        if (owner != null) {
            post.header(InternalJobController.OWNER_HEADER, owner);
        }
        var result = post.body(body).exchange().expectBody(Map.class).returnResult();
        Map<?, ?> answer = result.getResponseBody();
        return new Answer(result.getStatus().value(), String.valueOf(answer.get("jobId")), answer.get("repeated"));
    }

    int jobsWith(String requestId) {
        return jdbc.queryForObject("SELECT count(*) FROM jobs WHERE request_id = ?", Integer.class, requestId);
    }

    @Test
    void aRepeatedRequestIdAnswers200WithTheJobItFirstMadeAndOnlyPerTenant() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);
        String key = "nightly-" + UUID.randomUUID();
        String body = "{\"jobName\":\"once\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1,\"requestId\":\"" + key
                + "\"}";

        Answer first = submitAs("acme", body);
        Answer again = submitAs("acme", body);
        Answer otherTenant = submitAs("globex", body);
        Answer noTenant = submitAs(null, body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.repeated()).isEqualTo(false);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.repeated()).isEqualTo(true);
        assertThat(again.jobId()).isEqualTo(first.jobId());
        assertThat(otherTenant.status()).isEqualTo(201);
        assertThat(noTenant.status()).isEqualTo(201);
        assertThat(submitAs(null, body).jobId()).isEqualTo(noTenant.jobId());
        assertThat(List.of(first.jobId(), otherTenant.jobId(), noTenant.jobId()))
                .doesNotHaveDuplicates();
        assertThat(jobsWith(key)).isEqualTo(3);
    }

    @Test
    void concurrentSubmitsWithOneRequestIdMakeOneJob() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);
        String key = "concurrent-" + UUID.randomUUID();
        String body = "{\"jobName\":\"race\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1,\"requestId\":\"" + key
                + "\"}";
        int submits = 8;
        List<Answer> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(submits);
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < submits; i++) {
                futures.add(pool.submit(() -> submitAs("acme", body)));
            }
            for (Future<Answer> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers)
                .extracting(Answer::jobId)
                .containsOnly(answers.get(0).jobId());
        assertThat(answers).extracting(Answer::status).containsOnlyOnce(201).containsOnly(200, 201);
        assertThat(jobsWith(key)).isEqualTo(1);
    }

    @Test
    void aBadRequestIdIsA400() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 1);
        for (String bad : List.of("", "x".repeat(101), "tab\\there")) {
            client.post()
                    .uri("/internal/jobs")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"jobName\":\"bad\",\"inputTopic\":\"" + topic + "\",\"requestId\":\"" + bad + "\"}")
                    .exchange()
                    .expectStatus()
                    .isBadRequest();
        }
    }
}
