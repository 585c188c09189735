package dev.mapreduce.mapworker;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
import dev.mapreduce.runtime.InternalTopics;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.TaskHandler;
import dev.mapreduce.runtime.TaskWorker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Heartbeats, listens for cancellations and takes map tasks once the application is fully up, and
 * stops taking them first on shutdown (letting a running task finish), so a task never runs
 * against half-built or closed beans.
 */
final class TaskConsumerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskConsumerLifecycle.class);

    private final MapWorkerProperties properties;
    private final KafkaClientConfig kafka;
    private final InternalTopics topics;
    private final TaskHandler handler;
    private final KafkaMessages events;
    private final Duration kafkaTimeout;
    private volatile TaskWorker worker;

    TaskConsumerLifecycle(
            MapWorkerProperties properties,
            KafkaClientConfig kafka,
            InternalTopics topics,
            TaskHandler handler,
            KafkaMessages events,
            Duration kafkaTimeout) {
        this.properties = properties;
        this.kafka = kafka;
        this.topics = topics;
        this.handler = handler;
        this.events = events;
        this.kafkaTimeout = kafkaTimeout;
    }

    @Override
    public void start() {
        worker = new TaskWorker(
                        kafka,
                        topics,
                        TaskType.MAP,
                        properties.workerId(),
                        handler,
                        events,
                        properties.heartbeatInterval(),
                        kafkaTimeout,
                        properties.taskSlots())
                .start();
        log.info(
                "map worker {} is taking tasks from {}, heartbeating every {} ms",
                properties.workerId(),
                Topics.MAP_TASKS,
                properties.heartbeatInterval().toMillis());
    }

    @Override
    public void stop() {
        TaskWorker w = worker;
        if (w != null) {
            w.close();
            worker = null;
            log.info("map worker {} stopped taking tasks", properties.workerId());
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }

    /** Whether the worker takes tasks and hears control messages. */
    boolean isConsuming() {
        TaskWorker w = worker;
        return w != null && w.isAlive();
    }

    /** Whether the worker waits for a task rather than running one. */
    boolean isIdle() {
        TaskWorker w = worker;
        return w != null && w.isIdle();
    }
}
