package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Consumes task events in order, one thread, and hands each to the state machine; offsets are
 * committed after the events were applied, so a restart re-reads rather than loses events
 * (applying one twice changes nothing).
 */
@Component
class TaskEventListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskEventListener.class);

    private final TaskEventProcessor processor;
    private final CoordinatorProperties props;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    TaskEventListener(TaskEventProcessor processor, CoordinatorProperties props) {
        this.processor = processor;
        this.props = props;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        props.kafka().bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        Topics.COORDINATOR_GROUP,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "coordinator-events",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        500),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.TASK_EVENTS));
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
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
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
            return;
        }
        // A database outage must not skip events: retry until it is back or we are stopped.
        long backoffMs = 100;
        while (running) {
            try {
                processor.process(event);
                return;
            } catch (RuntimeException e) {
                log.warn("could not apply {} (retrying in {} ms): {}", event, backoffMs, e.getMessage());
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

    /** Whether the consumer thread is alive (for health). */
    boolean isHealthy() {
        return thread != null && thread.isAlive();
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
