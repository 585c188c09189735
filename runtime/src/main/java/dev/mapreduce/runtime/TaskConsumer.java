package dev.mapreduce.runtime;

import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes task messages of one kind from the share group every worker of that kind belongs to, one
 * at a time, only while idle: a worker busy with a long task leaves the waiting tasks to the
 * others. A task is accepted (acknowledged) as soon as it is taken; the coordinator, not Kafka,
 * decides whether it has to run again.
 */
public final class TaskConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskConsumer.class);

    private final KafkaShareConsumer<String, byte[]> consumer;
    private final TaskHandler handler;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean polling;

    public TaskConsumer(String bootstrapServers, TaskType type, String workerId, TaskHandler handler) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.workersGroup(type));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId);
        config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.consumer = new KafkaShareConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(Topics.taskTopic(type)));
        this.handler = handler;
        this.thread = new Thread(this::loop, type.tag() + "-task-consumer");
    }

    public TaskConsumer start() {
        thread.start();
        return this;
    }

    /** Whether the consumer loop is alive (for health). */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Whether the worker is waiting for a task rather than running one. */
    public boolean isIdle() {
        return polling;
    }

    private void loop() {
        try {
            while (running.get()) {
                polling = true;
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                polling = false;
                if (records.isEmpty()) {
                    continue;
                }
                List<TaskMessage> tasks = new java.util.ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    try {
                        tasks.add(Messages.decode(record.value(), TaskMessage.class));
                        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    } catch (IllegalArgumentException e) {
                        log.error(
                                "rejecting an unreadable task message at offset {}: {}",
                                record.offset(),
                                e.getMessage());
                        consumer.acknowledge(record, AcknowledgeType.REJECT);
                    }
                }
                consumer.commitSync(Duration.ofSeconds(10));
                for (TaskMessage task : tasks) {
                    runOne(task);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("task consumer stopped", e);
        } finally {
            polling = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void runOne(TaskMessage task) {
        try {
            handler.run(task);
        } catch (RuntimeException e) {
            // A handler reports its own failures; this is a last resort so the worker keeps taking tasks.
            log.error("task {} escaped its handler", task.attemptName(), e);
        }
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
