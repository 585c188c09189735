package dev.mapreduce.runtime.testing;

import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the task event topic from its beginning, as the coordinator would, without a consumer group: for the workers' tests. */
public final class TaskEvents implements AutoCloseable {

    /** The first share group assignment alone can take several seconds. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TaskEvent> received = new ArrayList<>();

    public TaskEvents(String bootstrapServers) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        TopicPartition events = new TopicPartition(Topics.TASK_EVENTS, 0);
        consumer.assign(List.of(events));
        consumer.seekToBeginning(List.of(events));
    }

    /** Waits until the attempt reported an event of that kind; returns every event of the attempt so far, in order. */
    public List<TaskEvent> awaitEvent(UUID jobId, int taskIndex, int attempt, TaskEvent.Kind kind) {
        return await().atMost(TIMEOUT)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> of(jobId, taskIndex, attempt), events -> events.stream()
                        .anyMatch(e -> e.kind() == kind));
    }

    /** Waits until {@code workerId} sent a heartbeat that lists {@code running}; returns that heartbeat. */
    public TaskEvent awaitHeartbeat(String workerId, AttemptRef running) {
        return await().atMost(TIMEOUT)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            poll();
                            return received.stream()
                                    .filter(e -> e.kind() == TaskEvent.Kind.HEARTBEAT
                                            && e.workerId().equals(workerId)
                                            && e.running().contains(running))
                                    .findFirst();
                        },
                        Optional::isPresent)
                .orElseThrow();
    }

    private List<TaskEvent> of(UUID jobId, int taskIndex, int attempt) {
        poll();
        return received.stream()
                .filter(e -> jobId.equals(e.jobId()) && e.taskIndex() == taskIndex && e.attempt() == attempt)
                .toList();
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            received.add(Messages.decode(record.value(), TaskEvent.class));
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
