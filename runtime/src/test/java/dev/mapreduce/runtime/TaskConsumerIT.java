package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The task queue on a real broker: no head-of-line blocking, every task taken once. */
class TaskConsumerIT {

    static TaskMessage task(UUID job, int index) {
        return new TaskMessage(
                job, TaskType.REDUCE, index, 1, "WORD_COUNT", "SUM", Map.of(), true, 1, "t", null, null, null);
    }

    @Test
    void aStuckWorkerBlocksNothingQueuedBehindItAndEachTaskIsTakenOnce() throws Exception {
        String kafka = TestKafka.bootstrapServers();
        try (var admin = KafkaSetup.admin(kafka, Duration.ofSeconds(10))) {
            KafkaSetup.ensureTopicsAndGroups(admin, Duration.ofSeconds(10));
        }
        UUID job = UUID.randomUUID();
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> takenBySlow = new ConcurrentLinkedQueue<>();
        Queue<String> takenByFast = new ConcurrentLinkedQueue<>();
        List<TaskConsumer> consumers = new ArrayList<>();
        try (KafkaMessages messages = new KafkaMessages(kafka, "test", Duration.ofSeconds(10))) {
            consumers.add(new TaskConsumer(kafka, TaskType.REDUCE, "slow", t -> {
                        if (!t.jobId().equals(job)) {
                            return;
                        }
                        takenBySlow.add(t.attemptName());
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    })
                    .start());
            consumers.add(new TaskConsumer(kafka, TaskType.REDUCE, "fast", t -> {
                        if (t.jobId().equals(job)) {
                            takenByFast.add(t.attemptName());
                        }
                    })
                    .start());
            List<TaskMessage> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(task(job, i));
            }
            messages.sendAll(tasks);
            // whichever consumer is slow holds at most one task; the other takes all the rest
            await().atMost(Duration.ofSeconds(30)).until(() -> takenBySlow.size() + takenByFast.size() == 20);
            assertThat(takenBySlow.size()).isLessThanOrEqualTo(1);
            release.countDown();
            List<String> all = new ArrayList<>(takenBySlow);
            all.addAll(takenByFast);
            assertThat(all).doesNotHaveDuplicates().hasSize(20);
        } finally {
            release.countDown();
            long start = System.nanoTime();
            consumers.forEach(TaskConsumer::close);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }
}
