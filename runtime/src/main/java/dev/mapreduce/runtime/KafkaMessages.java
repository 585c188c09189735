package dev.mapreduce.runtime;

import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends task messages and control messages (coordinator) and task events (workers), each
 * acknowledged by the broker before returning.
 */
public final class KafkaMessages implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaMessages.class);

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    public KafkaMessages(KafkaClientConfig kafka, String clientId, Duration timeout) {
        this.producer = new KafkaProducer<>(
                producerConfig(kafka, clientId, timeout), new StringSerializer(), new ByteArraySerializer());
        this.timeout = timeout;
    }

    public KafkaMessages(String bootstrapServers, String clientId, Duration timeout) {
        this(KafkaClientConfig.of(bootstrapServers), clientId, timeout);
    }

    /**
     * The settings of every producer of task messages, control messages and task events: each
     * record acknowledged by all in-sync replicas, idempotent, sent at once, and bounded by
     * {@code timeout} end to end. The operator's client properties may change all but acks and
     * idempotence.
     */
    public static Map<String, Object> producerConfig(KafkaClientConfig kafka, String clientId, Duration timeout) {
        return kafka.build(
                "producer " + clientId,
                producerDefaults(clientId, timeout),
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"));
    }

    private static Map<String, Object> producerDefaults(String clientId, Duration timeout) {
        return Map.of(
                ProducerConfig.CLIENT_ID_CONFIG,
                clientId,
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                timeout.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) Math.max(timeout.toMillis(), 1_000),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) Math.max(timeout.toMillis() - 1, 500));
    }

    public void send(TaskMessage task) {
        send(Topics.taskTopic(task.type()), Topics.taskKey(task), Messages.encode(task));
    }

    public void send(ControlMessage control) {
        send(Topics.CONTROL, control.jobId().toString(), Messages.encode(control));
    }

    /** Keyed by job, or by worker for a heartbeat. */
    public void send(TaskEvent event) {
        String key = event.jobId() == null ? event.workerId() : event.jobId().toString();
        send(Topics.TASK_EVENTS, key, Messages.encode(event));
    }

    /**
     * Sends how an attempt ended, waiting out a Kafka outage as the attempt's work does ({@code
     * outages}: pauses of 1 s doubling to 10 s): a report lost to a broker restart would have the
     * coordinator run a finished attempt again. Logs rather than throws if Kafka still does not take
     * it, or the attempt is cancelled meanwhile; the coordinator then notices through heartbeats.
     */
    public void report(TaskEvent event, OutageWait outages, Cancellation cancellation) {
        String type = event.type().name().toLowerCase(Locale.ROOT);
        String attempt = type + " task " + event.jobId() + "/" + type + "-" + event.taskIndex() + "#" + event.attempt();
        try {
            outages.run("the " + event.kind() + " report of " + attempt, cancellation, () -> {
                send(event);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("cannot report {} of {}: {}", event.kind(), attempt, e.getMessage());
        }
    }

    /** Sends all, then waits for every acknowledgement. */
    public void sendAll(java.util.List<TaskMessage> tasks) {
        var futures = tasks.stream()
                .map(t -> producer.send(
                        new ProducerRecord<>(Topics.taskTopic(t.type()), Topics.taskKey(t), Messages.encode(t))))
                .toList();
        for (var f : futures) {
            await(f, "task");
        }
    }

    private void send(String topic, String key, byte[] value) {
        await(producer.send(new ProducerRecord<>(topic, key, value)), topic);
    }

    private void await(java.util.concurrent.Future<?> future, String what) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka did not take the " + what + " message: "
                            + e.getCause().getMessage(),
                    e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the " + what + " message within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending to Kafka", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
