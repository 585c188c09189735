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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task queue on a real broker: no head-of-line blocking, every task taken once, STARTED
 * before the task is acknowledged, and workers an earlier attempt failed on passing tasks on.
 */
class TaskConsumerIT {

    private static String kafka;

    private final List<TaskConsumer> consumers = new ArrayList<>();
    private KafkaMessages messages;

    @BeforeAll
    static void topics() {
        kafka = TestKafka.bootstrapServers();
        try (var admin = KafkaSetup.admin(kafka, Duration.ofSeconds(10))) {
            KafkaSetup.ensureTopicsAndGroups(admin, Duration.ofSeconds(10));
        }
    }

    @BeforeEach
    void producer() {
        messages = new KafkaMessages(kafka, "test", Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        long start = System.nanoTime();
        consumers.forEach(TaskConsumer::close);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        messages.close();
    }

    static TaskMessage task(UUID job, int index, String... avoid) {
        return new TaskMessage(
                job,
                TaskType.REDUCE,
                index,
                1,
                "WORD_COUNT",
                "SUM",
                Map.of(),
                true,
                1,
                "t",
                null,
                null,
                List.of(avoid));
    }

    @Test
    void aStuckWorkerBlocksNothingQueuedBehindItAndEachTaskIsTakenOnce() {
        UUID job = UUID.randomUUID();
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> takenBySlow = new ConcurrentLinkedQueue<>();
        Queue<String> takenByFast = new ConcurrentLinkedQueue<>();
        try {
            consume("slow", t -> {
                if (!t.jobId().equals(job)) {
                    return;
                }
                takenBySlow.add(t.attemptName());
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            consume("fast", t -> {
                if (t.jobId().equals(job)) {
                    takenByFast.add(t.attemptName());
                }
            });
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
        }
    }

    @Test
    void theStartIsReportedBeforeTheTaskRunsAndATaskWhoseStartCannotBeReportedGoesBackToTheQueue() {
        UUID job = UUID.randomUUID();
        AtomicInteger starts = new AtomicInteger();
        Queue<String> order = new ConcurrentLinkedQueue<>();
        consumers.add(new TaskConsumer(
                        kafka,
                        TaskType.REDUCE,
                        "flaky-reporter",
                        new TaskHandler() {
                            @Override
                            public void start(TaskMessage task) {
                                if (task.jobId().equals(job)) {
                                    order.add("start");
                                    if (starts.incrementAndGet() == 1) {
                                        throw new IllegalStateException("Kafka did not take the STARTED event");
                                    }
                                }
                            }

                            @Override
                            public void run(TaskMessage task, Cancellation cancellation) {
                                if (task.jobId().equals(job)) {
                                    order.add("run");
                                }
                            }
                        },
                        new RunningAttempts())
                .start());

        messages.send(task(job, 0));

        await().atMost(Duration.ofSeconds(30)).until(() -> order.contains("run"));
        assertThat(order).containsExactly("start", "start", "run");
    }

    @Test
    void aTaskToAvoidTheOnlyWorkerStillRunsThereOnItsThirdDelivery() {
        UUID job = UUID.randomUUID();
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        AtomicInteger starts = new AtomicInteger();
        consumers.add(new TaskConsumer(
                        kafka, TaskType.REDUCE, "only", recording(job, "only", ran, starts), new RunningAttempts())
                .start());

        messages.send(task(job, 0, "only"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !ran.isEmpty());
        assertThat(ran).containsExactly("only");
        assertThat(starts).hasValue(1);
    }

    @Test
    void aTaskToAvoidOneWorkerGoesToAnotherOneWhenThereIs() {
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        UUID warmUp = UUID.randomUUID();
        Queue<String> warmedUp = new ConcurrentLinkedQueue<>();
        UUID job = UUID.randomUUID();
        for (String worker : List.of("avoided", "other")) {
            consumers.add(new TaskConsumer(
                            kafka,
                            TaskType.REDUCE,
                            worker,
                            new TaskHandler() {
                                @Override
                                public void start(TaskMessage task) {}

                                @Override
                                public void run(TaskMessage task, Cancellation cancellation) {
                                    if (task.jobId().equals(warmUp)) {
                                        warmedUp.add(worker);
                                    } else if (task.jobId().equals(job)) {
                                        ran.add(worker);
                                    }
                                }
                            },
                            new RunningAttempts())
                    .start());
        }
        // both consumers hold a share of the task topic once each has taken a task
        int[] sent = {0};
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    messages.send(task(warmUp, sent[0]++));
                    return warmedUp.contains("avoided") && warmedUp.contains("other");
                });

        messages.send(task(job, 0, "avoided"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !ran.isEmpty());
        assertThat(ran).containsExactly("other");
    }

    private void consume(String workerId, Consumer<TaskMessage> handler) {
        consumers.add(new TaskConsumer(kafka, TaskType.REDUCE, workerId, handler).start());
    }

    private static TaskHandler recording(UUID job, String worker, Queue<String> ran, AtomicInteger starts) {
        return new TaskHandler() {
            @Override
            public void start(TaskMessage task) {
                if (task.jobId().equals(job)) {
                    starts.incrementAndGet();
                }
            }

            @Override
            public void run(TaskMessage task, Cancellation cancellation) {
                if (task.jobId().equals(job)) {
                    ran.add(worker);
                }
            }
        };
    }
}
