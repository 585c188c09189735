package dev.mapreduce.coordinator;

import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.TaskConsumer;
import dev.mapreduce.runtime.testing.TestKafka;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * A coordinator whose workers are scripted by the test: they take tasks from the share groups and
 * answer only what each test sends through {@link #events}.
 */
abstract class ScriptedWorkersTestBase extends CoordinatorTestBase {

    /** Tasks the scripted workers took. */
    static final Queue<TaskMessage> taken = new ConcurrentLinkedQueue<>();

    static TaskConsumer mapWorker;
    static TaskConsumer reduceWorker;
    static KafkaMessages events;

    @Autowired
    RestTestClient client;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void workers() {
        String kafka = TestKafka.bootstrapServers();
        events = new KafkaMessages(kafka, "scripted-worker", Duration.ofSeconds(10));
        mapWorker = new TaskConsumer(kafka, TaskType.MAP, "scripted-map", taken::add).start();
        reduceWorker = new TaskConsumer(kafka, TaskType.REDUCE, "scripted-reduce", taken::add).start();
    }

    @AfterAll
    static void stopWorkers() {
        mapWorker.close();
        reduceWorker.close();
        events.close();
    }

    UUID submit(String body) {
        String id = client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("jobId")
                .toString();
        return UUID.fromString(id);
    }

    TaskMessage awaitAttempt(UUID jobId, TaskType type, int index, int attempt) {
        await().atMost(Duration.ofSeconds(30)).until(() -> taken.stream()
                .anyMatch(t -> t.jobId().equals(jobId)
                        && t.type() == type
                        && t.taskIndex() == index
                        && t.attempt() == attempt));
        return taken.stream()
                .filter(t ->
                        t.jobId().equals(jobId) && t.type() == type && t.taskIndex() == index && t.attempt() == attempt)
                .findFirst()
                .orElseThrow();
    }

    String status(UUID jobId) {
        return jdbc.queryForObject("SELECT status FROM jobs WHERE job_id = ?", String.class, jobId);
    }
}
