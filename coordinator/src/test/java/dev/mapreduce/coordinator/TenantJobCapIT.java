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
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

/**
 * A tenant may have at most so many jobs queued or running (here 2): one more submit is a 429
 * problem with Retry-After, other tenants and jobs without an owner are not held back, and a place
 * comes back when a job ends. The scripted workers never finish a task, so submitted jobs stay
 * running.
 */
@TestPropertySource(properties = "mapreduce.coordinator.tenant.max-active-jobs=" + TenantJobCapIT.CAP)
class TenantJobCapIT extends ScriptedWorkersTestBase {

    static final int CAP = 2;

    /** Tenants of their own: other tests leave jobs of their tenants running in the shared database. */
    private final String acme = "acme-" + UUID.randomUUID();

    private final String globex = "globex-" + UUID.randomUUID();

    private final String initech = "initech-" + UUID.randomUUID();

    EntityExchangeResult<Map> submitAs(String owner, String topic) {
        var post = client.post().uri("/internal/jobs").contentType(MediaType.APPLICATION_JSON);
        if (owner != null) {
            post.header(InternalJobController.OWNER_HEADER, owner);
        }
        return post.body("{\"jobName\":\"capped\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1}")
                .exchange()
                .expectBody(Map.class)
                .returnResult();
    }

    int activeJobsOf(String owner) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM jobs WHERE owner = ? AND status IN ('PENDING', 'RUNNING')", Integer.class, owner);
    }

    @Test
    void aTenantAtItsCapGetsA429WithRetryAfterAndTheOthersStillSubmit() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);
        List<String> acmeJobs = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            EntityExchangeResult<Map> submitted = submitAs(acme, topic);
            assertThat(submitted.getStatus().value()).isEqualTo(201);
            acmeJobs.add(String.valueOf(submitted.getResponseBody().get("jobId")));
        }

        EntityExchangeResult<Map> refused = submitAs(acme, topic);
        assertThat(refused.getStatus().value()).isEqualTo(429);
        assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("30");
        assertThat(refused.getResponseBody())
                .containsEntry("title", "Too many jobs")
                .containsEntry("activeJobs", CAP)
                .containsEntry("maxActiveJobs", CAP);
        assertThat(activeJobsOf(acme)).isEqualTo(CAP);

        assertThat(submitAs(globex, topic).getStatus().value()).isEqualTo(201);
        for (int i = 0; i <= CAP; i++) {
            assertThat(submitAs(null, topic).getStatus().value())
                    .as("no owner, no cap")
                    .isEqualTo(201);
        }

        client.post()
                .uri("/internal/jobs/{id}/cancel", acmeJobs.get(0))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(submitAs(acme, topic).getStatus().value()).isEqualTo(201);
    }

    @Test
    void concurrentSubmitsOfOneTenantNeverPassItsCap() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 2);
        int submits = 6;
        List<Integer> statuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(submits);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < submits; i++) {
                futures.add(
                        pool.submit(() -> submitAs(initech, topic).getStatus().value()));
            }
            for (Future<Integer> f : futures) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(CAP);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(submits - CAP);
        assertThat(activeJobsOf(initech)).isEqualTo(CAP);
    }
}
