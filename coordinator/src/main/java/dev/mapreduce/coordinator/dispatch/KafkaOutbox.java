package dev.mapreduce.coordinator.dispatch;

import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.Topics;
import dev.mapreduce.runtime.KafkaMessages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends with one idempotent producer ({@code acks=all}) without blocking: the messages of a change go
 * out together, and the caller's thread goes on while Kafka acknowledges them.
 */
public final class KafkaOutbox implements Outbox, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaOutbox.class);

    private final KafkaProducer<String, byte[]> producer;

    public KafkaOutbox(KafkaClientConfig kafka, Duration timeout) {
        this.producer = new KafkaProducer<>(
                KafkaMessages.producerConfig(kafka, "coordinator-outbox", timeout),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<Void> send(List<TaskMessage> tasks) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        if (tasks.isEmpty()) {
            all.complete(null);
            return all;
        }
        AtomicInteger waiting = new AtomicInteger(tasks.size());
        for (TaskMessage t : tasks) {
            try {
                producer.send(
                        new ProducerRecord<>(Topics.taskTopic(t.type()), Topics.taskKey(t), Messages.encode(t)),
                        (metadata, e) -> {
                            if (e != null) {
                                all.completeExceptionally(new IllegalStateException(
                                        "Kafka did not take the task message: " + e.getMessage(), e));
                            } else if (waiting.decrementAndGet() == 0) {
                                all.complete(null);
                            }
                        });
            } catch (RuntimeException e) { // the producer is closed, or its buffer stayed full
                all.completeExceptionally(e);
                break;
            }
        }
        return all;
    }

    @Override
    public void sendControls(List<ControlMessage> controls) {
        for (ControlMessage c : controls) {
            try {
                producer.send(
                        new ProducerRecord<>(Topics.CONTROL, c.jobId().toString(), Messages.encode(c)), (m, e) -> {
                            if (e != null) {
                                log.warn("could not send {}: {}", c, e.getMessage());
                            }
                        });
            } catch (RuntimeException e) {
                log.warn("could not send {}: {}", c, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
