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

    // the consumer thread's own: System.nanoTime() of the last question to the broker, the end of the
    // log it answered (-1: no answer waiting to be reached), the last time as of which every event was
    // applied, and the first of the current unbroken run of them (0: none yet)
    private long askedAt;
    private long askedEnd = -1;
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
                                // how long the broker holds a fetch that finds no event (one
                                // that arrives answers it at once): 100 ms made an idle
                                // coordinator cost the broker 10 empty fetches a second
                                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                                500),
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
        askedAt = 0;
        askedEnd = -1;
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
                checkCaughtUp(records.count() < MAX_POLL_RECORDS);
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
     * look dead: at most every {@link #CAUGHT_UP_CHECK_INTERVAL}, and not while a backlog fills whole
     * polls ({@code mayAsk} false).
     *
     * <p>The log was caught up as of the moment the end was asked once the consumer's position has
     * reached that end, however many events came since: the end and the position are not compared
     * at one instant. They were, and when events came in bursts (the heartbeats of several workers a
     * few milliseconds apart, once a second) every comparison fell between the first event of a burst
     * and the last, the clock stood still, and a worker that stopped was never declared dead.
     */
    private void checkCaughtUp(boolean mayAsk) {
        try {
            if (askedEnd < 0) {
                long now = System.nanoTime();
                if (!mayAsk || (askedAt != 0 && now - askedAt < CAUGHT_UP_CHECK_INTERVAL.toNanos())) {
                    return;
                }
                askedAt = now;
                Long end = consumer.endOffsets(List.of(EVENTS), CAUGHT_UP_CHECK_TIMEOUT)
                        .get(EVENTS);
                if (end == null) {
                    return;
                }
                askedEnd = end;
            }
            if (consumer.position(EVENTS, CAUGHT_UP_CHECK_TIMEOUT) < askedEnd) {
                return; // the events up to that end are applied in a poll or more
            }
            askedEnd = -1;
            // every event sent before askedAt is below the end the broker gave after it, so it is applied:
            // the log was caught up as of askedAt, not as of now, which PostgreSQL subtracts from its now()
            long t0 = askedAt;
            if (caughtUpSince == 0 || t0 - caughtUpAt > CAUGHT_UP_BREAK.toNanos()) {
                caughtUpSince = t0; // a new leader, or the log could not be read for a while
            }
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
