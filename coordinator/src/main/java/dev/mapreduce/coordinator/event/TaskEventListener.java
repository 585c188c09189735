package dev.mapreduce.coordinator.event;

import dev.mapreduce.coordinator.CoordinatorMetrics;
import dev.mapreduce.coordinator.CoordinatorProperties;
import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads task events in order, on the leader only, and hands each poll's events to an {@link
 * EventApplier}. The position in the event log is kept in PostgreSQL and moved in the same
 * transaction that applies the events, so every event is applied exactly once, however often
 * coordinators fail over (no consumer group: a new leader starts at once, without waiting for a
 * dead member's session to expire).
 */
@Component
public class TaskEventListener {

    private static final Logger log = LoggerFactory.getLogger(TaskEventListener.class);
    private static final TopicPartition EVENTS = new TopicPartition(Topics.TASK_EVENTS, 0);

    /** Events applied in one transaction at most: the more, the fewer commits when events pile up. */
    public static final int MAX_POLL_RECORDS = 2000;

    private static final Duration CAUGHT_UP_CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration CAUGHT_UP_CHECK_TIMEOUT = Duration.ofSeconds(2);

    /** Caught up again after longer than this without: the log's clock starts a new unbroken run. */
    private static final Duration CAUGHT_UP_BREAK = Duration.ofSeconds(3);

    private final Scheduler scheduler;
    private final EventOffsetStore offsets;
    private final CoordinatorProperties props;
    private final org.apache.kafka.clients.admin.Admin admin;
    private final KafkaClientConfig kafka;
    private volatile String topicId;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private final CoordinatorMetrics metrics;

    // the consumer thread's own: System.nanoTime() of the last check, the last caught-up check, and
    // the first of the current unbroken run of them (0: none yet)
    private long lastCheck;
    private long caughtUpAt;
    private long caughtUpSince;

    public TaskEventListener(
            Scheduler scheduler,
            EventOffsetStore offsets,
            CoordinatorProperties props,
            org.apache.kafka.clients.admin.Admin admin,
            KafkaClientConfig kafka,
            CoordinatorMetrics metrics) {
        this.metrics = metrics;
        this.admin = admin;
        this.kafka = kafka;
        this.scheduler = scheduler;
        this.offsets = offsets;
        this.props = props;
    }

    /** Starts reading events on a thread named {@code task-events-<instance>}. */
    public synchronized void start(String instance) {
        if (running) {
            return;
        }
        consumer = new KafkaConsumer<>(
                kafka.build(
                        "task event listener",
                        Map.of(
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                "coordinator-events",
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                MAX_POLL_RECORDS,
                                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                                100),
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                "false",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest")),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            topicId = admin.describeTopics(List.of(EVENTS.topic()))
                    .topicNameValues()
                    .get(EVENTS.topic())
                    .get(props.kafka().timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .topicId()
                    .toString();
        } catch (Exception e) {
            consumer.close();
            throw new IllegalStateException("cannot describe topic " + EVENTS.topic() + ": " + e.getMessage(), e);
        }
        consumer.assign(List.of(EVENTS));
        long next = offsets.eventOffset(EVENTS.topic(), EVENTS.partition(), topicId);
        if (next >= 0) {
            consumer.seek(EVENTS, next);
        } else {
            consumer.seekToBeginning(List.of(EVENTS));
        }
        lastCheck = 0;
        caughtUpAt = 0;
        caughtUpSince = 0;
        running = true;
        thread = new Thread(this::loop, "task-events-" + instance);
        thread.start();
    }

    private void loop() {
        EventApplier applier = new EventApplier(
                scheduler, offsets, EVENTS.topic(), EVENTS.partition(), topicId, () -> running, metrics);
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                if (!records.isEmpty()) {
                    applier.apply(records.records(EVENTS));
                }
                if (records.count() < MAX_POLL_RECORDS) {
                    checkCaughtUp();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("task event consumer stopped", e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("task event consumer did not close cleanly: {}", e.getMessage());
            }
        }
    }

    /**
     * Records in PostgreSQL when the consumer last had applied every event in the log, and since when
     * it has without a break ({@link EventOffsetStore#caughtUp}): the clock by which the monitors judge
     * whether a worker is silent ({@link WorkerStore#expireWorkers}). The end of the log is asked of
     * the broker, so an event log that cannot be read stops that clock instead of making every worker
     * look dead. At most every {@link #CAUGHT_UP_CHECK_INTERVAL}.
     */
    private void checkCaughtUp() {
        long t0 = System.nanoTime();
        if (lastCheck != 0 && t0 - lastCheck < CAUGHT_UP_CHECK_INTERVAL.toNanos()) {
            return;
        }
        lastCheck = t0;
        try {
            Long end = consumer.endOffsets(List.of(EVENTS), CAUGHT_UP_CHECK_TIMEOUT)
                    .get(EVENTS);
            if (end == null || consumer.position(EVENTS, CAUGHT_UP_CHECK_TIMEOUT) < end) {
                return;
            }
            if (caughtUpSince == 0 || t0 - caughtUpAt > CAUGHT_UP_BREAK.toNanos()) {
                caughtUpSince = t0; // a new leader, or the log could not be read for a while
            }
            // every event sent before t0 is below the end the broker gave after t0, so it is applied: the
            // log was caught up as of t0, not as of now. The two broker calls took now - t0 (up to twice
            // CAUGHT_UP_CHECK_TIMEOUT on a slow broker), which PostgreSQL subtracts from its now().
            caughtUpAt = t0;
            long now = System.nanoTime();
            offsets.caughtUp(
                    EVENTS.topic(),
                    EVENTS.partition(),
                    topicId,
                    Duration.ofNanos(now - caughtUpAt),
                    Duration.ofNanos(now - caughtUpSince));
        } catch (org.apache.kafka.common.errors.TimeoutException | org.springframework.dao.DataAccessException e) {
            log.debug("could not tell whether the task events are all applied: {}", e.getMessage());
        }
    }

    /** Whether the consumer thread is alive, or not needed (not leading). */
    public boolean isHealthy() {
        return !running || (thread != null && thread.isAlive());
    }

    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (!thread.isAlive()) {
            return; // it died, and closed the consumer
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
