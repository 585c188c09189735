package dev.mapreduce.runtime;

import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every control message sent after it started, on a thread of its own. No consumer group:
 * every worker must see every order, and what was sent before it started concerns attempts it
 * never ran.
 */
public final class ControlListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlListener.class);
    private static final TopicPartition CONTROL = new TopicPartition(Topics.CONTROL, 0);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ControlMessage> orders;
    private final Duration timeout;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** @param orders receives each control message, in the listener's thread */
    public ControlListener(
            KafkaClientConfig kafka, String workerId, Consumer<ControlMessage> orders, Duration timeout) {
        this.consumer = new KafkaConsumer<>(
                kafka.build(
                        "control listener",
                        Map.of(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-control"),
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                "false",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "latest")),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        this.orders = orders;
        this.timeout = timeout;
        this.thread = new Thread(this::loop, workerId + "-control");
        this.thread.setDaemon(true);
    }

    /** Positions at the end of the control topic, so every order sent from now on is seen, then listens. */
    public ControlListener start() {
        consumer.assign(List.of(CONTROL));
        consumer.seekToEnd(List.of(CONTROL));
        consumer.position(CONTROL, timeout); // resolves the lazy seek before anyone relies on it
        thread.start();
        return this;
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    private void loop() {
        try {
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                        handle(record);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.warn("cannot read control messages, retrying: {}", e.getMessage());
                    Thread.sleep(RETRY_PAUSE.toMillis());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        ControlMessage order;
        try {
            order = Messages.decode(record.value(), ControlMessage.class);
        } catch (IllegalArgumentException e) {
            log.error("ignoring an unreadable control message at offset {}: {}", record.offset(), e.getMessage());
            return;
        }
        try {
            orders.accept(order);
        } catch (RuntimeException e) {
            log.error("control message {} at offset {} was not applied", order, record.offset(), e);
        }
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            if (thread.getState() == Thread.State.NEW) {
                consumer.close(Duration.ofSeconds(5));
                return;
            }
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
