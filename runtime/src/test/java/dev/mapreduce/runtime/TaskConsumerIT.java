package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
                        KafkaClientConfig.of(kafka),
                        TaskType.REDUCE,
                        "flaky-reporter",
                        0,
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
                        KafkaClientConfig.of(kafka),
                        TaskType.REDUCE,
                        "only",
                        0,
                        recording(job, "only", ran, starts),
                        new RunningAttempts())
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
                            KafkaClientConfig.of(kafka),
                            TaskType.REDUCE,
                            worker,
                            0,
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

    @Test
    void everyLineLoggedAboutATaskNamesItsJobTaskAndAttemptAndNothingOfItOutlivesTheTask() throws Exception {
        UUID job = UUID.randomUUID();
        Logger handlerLog = LoggerFactory.getLogger("test.handler");
        ListAppender<ILoggingEvent> lines = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing(); // the MDC as it is on the logging thread
                super.append(event);
            }
        };
        lines.start();
        List<ch.qos.logback.classic.Logger> loggers = List.of(
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(TaskConsumer.class),
                (ch.qos.logback.classic.Logger) handlerLog);
        loggers.forEach(l -> l.addAppender(lines));
        try {
            // it names this worker to avoid: the consumer logs that it passes it on, twice, before running it
            consume("mdc-worker", t -> handlerLog.info("running {}", t.attemptName()));
            messages.send(task(job, 4, "mdc-worker").withAttempt(3, List.of("mdc-worker")));
            await().atMost(Duration.ofSeconds(30)).until(() -> linesAbout(lines, job).stream()
                    .anyMatch(e -> e.getFormattedMessage().startsWith("running")));
            try (var producer = new KafkaProducer<String, byte[]>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.taskTopic(TaskType.REDUCE), "not a task".getBytes()))
                        .get();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> snapshot(lines).stream()
                    .anyMatch(e -> e.getFormattedMessage().startsWith("rejecting an unreadable")));

            List<ILoggingEvent> about = linesAbout(lines, job);
            assertThat(about)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.startsWith("passing"))
                    .anyMatch(m -> m.startsWith("running"));
            assertThat(about).allSatisfy(e -> assertThat(e.getMDCPropertyMap())
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of("jobId", job.toString(), "task", "reduce-4", "attempt", "3")));
            assertThat(snapshot(lines))
                    .filteredOn(e -> e.getFormattedMessage().startsWith("rejecting an unreadable"))
                    .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).isEmpty());
        } finally {
            loggers.forEach(l -> l.detachAppender(lines));
        }
    }

    /** The captured lines that name the job in their message. */
    private static List<ILoggingEvent> linesAbout(ListAppender<ILoggingEvent> lines, UUID job) {
        return snapshot(lines).stream()
                .filter(e -> e.getFormattedMessage().contains(job.toString()))
                .toList();
    }

    /** The lines captured so far; the appender appends under its own lock. */
    private static List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> lines) {
        synchronized (lines) {
            return List.copyOf(lines.list);
        }
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
