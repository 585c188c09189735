package dev.mapreduce.runtime.worker;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.Topics;
import dev.mapreduce.runtime.InternalTopics;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.TaskHandler;
import dev.mapreduce.runtime.TaskWorker;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Heartbeats, listens for cancellations and takes tasks once the application is fully up, and
 * stops taking them first on shutdown (letting a running task finish), so a task never runs
 * against half-built or closed beans.
 */
public final class TaskConsumerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskConsumerLifecycle.class);

    private final WorkerSettings settings;
    private final KafkaClientConfig kafka;
    private final InternalTopics topics;
    private final TaskHandler handler;
    private final KafkaMessages events;
    private final Duration kafkaTimeout;
    private volatile TaskWorker worker;

    TaskConsumerLifecycle(
            WorkerSettings settings,
            KafkaClientConfig kafka,
            InternalTopics topics,
            TaskHandler handler,
            KafkaMessages events,
            Duration kafkaTimeout) {
        this.settings = settings;
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
                        settings.taskType(),
                        settings.workerId(),
                        handler,
                        events,
                        settings.heartbeatInterval(),
                        kafkaTimeout,
                        settings.taskSlots())
                .start();
        log.info(
                "{} worker {} is taking tasks from {}, heartbeating every {} ms",
                kind(),
                settings.workerId(),
                Topics.taskTopic(settings.taskType()),
                settings.heartbeatInterval().toMillis());
    }

    @Override
    public void stop() {
        TaskWorker w = worker;
        if (w != null) {
            w.close();
            worker = null;
            log.info("{} worker {} stopped taking tasks", kind(), settings.workerId());
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

    private String kind() {
        return settings.taskType().name().toLowerCase(Locale.ROOT);
    }
}
