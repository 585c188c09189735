package dev.mapreduce.reduceworker;

import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
import dev.mapreduce.runtime.KafkaSetup;
import dev.mapreduce.runtime.TaskConsumer;
import dev.mapreduce.runtime.TaskHandler;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Takes reduce tasks once the application is fully up and stops taking them first on shutdown
 * (letting a running task finish), so a task never runs against half-built or closed beans.
 */
final class TaskConsumerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskConsumerLifecycle.class);

    private final ReduceWorkerProperties properties;
    private final TaskHandler handler;
    private final Duration kafkaTimeout;
    private volatile TaskConsumer consumer;

    TaskConsumerLifecycle(ReduceWorkerProperties properties, TaskHandler handler, Duration kafkaTimeout) {
        this.properties = properties;
        this.handler = handler;
        this.kafkaTimeout = kafkaTimeout;
    }

    @Override
    public void start() {
        try (Admin admin = KafkaSetup.admin(properties.kafkaBootstrapServers(), kafkaTimeout)) {
            KafkaSetup.ensureTopicsAndGroups(admin, kafkaTimeout);
        }
        consumer = new TaskConsumer(properties.kafkaBootstrapServers(), TaskType.REDUCE, properties.workerId(), handler)
                .start();
        log.info("reduce worker {} is taking tasks from {}", properties.workerId(), Topics.REDUCE_TASKS);
    }

    @Override
    public void stop() {
        TaskConsumer c = consumer;
        if (c != null) {
            c.close();
            consumer = null;
            log.info("reduce worker {} stopped taking tasks", properties.workerId());
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }

    /** Whether the consumer thread is alive, i.e. the worker takes tasks. */
    boolean isConsuming() {
        TaskConsumer c = consumer;
        return c != null && c.isAlive();
    }

    /** Whether the worker waits for a task rather than running one. */
    boolean isIdle() {
        TaskConsumer c = consumer;
        return c != null && c.isIdle();
    }
}
