package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.Topics;
import dev.mapreduce.runtime.TaskMdc;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies task events in order, on the leader only. The position in the event log is kept in
 * PostgreSQL and moved in the same transaction that applies each event, so every event is applied
 * exactly once, however often coordinators fail over (no consumer group: a new leader starts at
 * once, without waiting for a dead member's session to expire).
 */
@Component
class TaskEventListener {

    private static final Logger log = LoggerFactory.getLogger(TaskEventListener.class);
    private static final TopicPartition EVENTS = new TopicPartition(Topics.TASK_EVENTS, 0);

    private final Scheduler scheduler;
    private final JobStore store;
    private final TransactionTemplate tx;
    private final CoordinatorProperties props;
    private final org.apache.kafka.clients.admin.Admin admin;
    private volatile String topicId;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    TaskEventListener(
            Scheduler scheduler,
            JobStore store,
            TransactionTemplate tx,
            CoordinatorProperties props,
            org.apache.kafka.clients.admin.Admin admin) {
        this.admin = admin;
        this.scheduler = scheduler;
        this.store = store;
        this.tx = tx;
        this.props = props;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        props.kafka().bootstrapServers(),
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "coordinator-events",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        500,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        100),
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
        long next = store.eventOffset(EVENTS.topic(), EVENTS.partition(), topicId);
        if (next >= 0) {
            consumer.seek(EVENTS, next);
        } else {
            consumer.seekToBeginning(List.of(EVENTS));
        }
        running = true;
        thread = new Thread(this::loop, "task-events");
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<String, byte[]> record : records) {
                    handle(record);
                    if (!running) {
                        break;
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("task event consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        TaskEvent event;
        try {
            event = Messages.decode(record.value(), TaskEvent.class);
        } catch (IllegalArgumentException e) {
            log.error("skipping an unreadable task event at offset {}: {}", record.offset(), e.getMessage());
            event = null;
        }
        TaskEvent decoded = event;
        if (decoded == null || decoded.kind() == TaskEvent.Kind.HEARTBEAT) {
            apply(record, decoded);
            return;
        }
        try (TaskMdc.Scope ignored = TaskMdc.of(decoded.attemptRef())) {
            apply(record, decoded);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record, TaskEvent decoded) {
        // A database outage must not skip events: retry until it is back or we stop leading.
        long backoffMs = 100;
        while (running) {
            try {
                Effects fx = new Effects();
                tx.executeWithoutResult(s -> {
                    long next = store.lockEventOffset(EVENTS.topic(), EVENTS.partition(), topicId);
                    if (record.offset() < next) {
                        return; // applied before a fail-over
                    }
                    if (decoded != null) {
                        scheduler.apply(decoded, fx);
                    }
                    store.setEventOffset(EVENTS.topic(), EVENTS.partition(), record.offset() + 1);
                });
                scheduler.afterCommit(fx);
                return;
            } catch (RuntimeException e) {
                log.warn("could not apply {} (retrying in {} ms): {}", decoded, backoffMs, e.getMessage());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    /** Whether the consumer thread is alive, or not needed (not leading). */
    boolean isHealthy() {
        return !running || (thread != null && thread.isAlive());
    }

    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
