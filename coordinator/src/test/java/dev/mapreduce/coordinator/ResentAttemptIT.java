package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader sends again an attempt whose message never went out, once: not again while Kafka has
 * the message or acknowledged it and no change marked it yet (the monitor's passes come every 250
 * ms; this Kafka answers after 600 ms).
 */
class ResentAttemptIT {

    static final Duration KAFKA_ANSWERS_AFTER = Duration.ofMillis(600);

    static SchedulerRig rig;
    static ScheduledExecutorService timers;
    static final Queue<TaskMessage> sent = new ConcurrentLinkedQueue<>();

    /** A slow Kafka that takes every message. */
    static final Outbox slowKafka = new Outbox() {
        @Override
        public CompletableFuture<Void> send(List<TaskMessage> tasks) {
            sent.addAll(tasks);
            return CompletableFuture.runAsync(
                    () -> {}, CompletableFuture.delayedExecutor(KAFKA_ANSWERS_AFTER.toMillis(), TimeUnit.MILLISECONDS));
        }

        @Override
        public void sendControls(List<ControlMessage> controls) {}
    };

    @BeforeAll
    static void leader() {
        SchedulerSettings settings = SchedulerRig.settings(Duration.ofMinutes(5), 10, 100);
        rig = SchedulerRig.create(
                "resent_attempt", 4, settings, slowKafka, new CoordinatorMetrics(new SimpleMeterRegistry()));
        timers = Executors.newSingleThreadScheduledExecutor();
        rig.monitorEvery(settings.monitorInterval(), timers);
    }

    @AfterAll
    static void close() {
        timers.shutdownNow();
        rig.close();
    }

    @Test
    void anAttemptWhoseMessageNeverWentOutIsSentAgainOnce() {
        UUID jobId = UUID.randomUUID();
        List<MapInput> splits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            splits.add(MapInput.ofRanges(List.of(new OffsetRange(0, i, i + 1))));
        }
        JobRequest request = new JobRequest("resent", "t", null, null, null, 3, 1, "WORD_COUNT", "SUM", Map.of(), true);
        // the submit's own send never reached Kafka: its messages are dropped here
        assertThat(rig.scheduler().startJob(jobId, request, splits, 3, null)).hasSize(3);

        // unmarked for 3 s, they go again; then each message is marked once Kafka answered
        await().atMost(Duration.ofSeconds(15))
                .until(() -> rig.jdbc()
                                .queryForObject(
                                        "SELECT count(*) FROM task_attempts WHERE job_id = ? AND dispatched_at IS NOT NULL",
                                        Long.class,
                                        jobId)
                        == 3);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(sent.stream()
                        .filter(t -> t.jobId().equals(jobId))
                        .collect(Collectors.groupingBy(AttemptRef::of, Collectors.counting())))
                .as("messages sent per attempt")
                .hasSize(3)
                .allSatisfy((attempt, times) -> assertThat(times).isEqualTo(1L)));
    }
}
