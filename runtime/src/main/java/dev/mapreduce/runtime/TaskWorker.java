package dev.mapreduce.runtime;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of one worker process: heartbeats listing what it runs, a listener for control
 * messages that cancels what they name, and one task consumer per slot, each taking and running
 * one task at a time, so a worker runs up to {@code slots} tasks at once. They all share one
 * {@link RunningAttempts}.
 */
public final class TaskWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskWorker.class);

    private final KafkaClientConfig kafka;
    private final InternalTopics topics;
    private final TaskType type;
    private final String workerId;
    private final TaskHandler handler;
    private final Duration kafkaTimeout;
    private final int slots;
    private final RunningAttempts attempts = new RunningAttempts();
    private final Heartbeats heartbeats;
    private volatile ControlListener control;
    private volatile List<TaskConsumer> consumers = List.of();

    /**
     * @param events sends the heartbeats (the handler sends the task events)
     * @param kafkaTimeout bounds setting up topics and positioning on the control topic
     * @param slots how many tasks the worker runs at once
     * @param topics how the internal topics are created if missing
     */
    public TaskWorker(
            KafkaClientConfig kafka,
            InternalTopics topics,
            TaskType type,
            String workerId,
            TaskHandler handler,
            KafkaMessages events,
            Duration heartbeatInterval,
            Duration kafkaTimeout,
            int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("a worker needs at least one task slot, got " + slots);
        }
        this.kafka = kafka;
        this.topics = topics;
        this.type = type;
        this.workerId = workerId;
        this.handler = handler;
        this.kafkaTimeout = kafkaTimeout;
        this.slots = slots;
        this.heartbeats = new Heartbeats(events, workerId, type, attempts, heartbeatInterval);
    }

    /**
     * Makes sure the topics exist, listens for control messages from now on, sends the first
     * heartbeat, and only then starts taking tasks.
     */
    public synchronized TaskWorker start() {
        try {
            try (Admin admin = KafkaSetup.admin(kafka, kafkaTimeout)) {
                KafkaSetup.ensureTopicsAndGroups(admin, kafkaTimeout, topics);
            }
            control = new ControlListener(kafka, workerId, this::apply, kafkaTimeout);
            control.start();
            heartbeats.start();
            List<TaskConsumer> started = new ArrayList<>(slots);
            try {
                for (int slot = 0; slot < slots; slot++) {
                    started.add(new TaskConsumer(kafka, type, workerId, slot, handler, attempts).start());
                }
            } finally {
                consumers = List.copyOf(started); // published whole: health checks read it from other threads
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void apply(ControlMessage order) {
        List<AttemptRef> stopped = attempts.apply(order);
        if (!stopped.isEmpty()) {
            log.info("{} stops {}", order.kind(), stopped);
        }
    }

    /** Whether the worker takes tasks and hears control messages. */
    public boolean isAlive() {
        List<TaskConsumer> c = consumers;
        ControlListener l = control;
        return !c.isEmpty() && c.stream().allMatch(TaskConsumer::isAlive) && l != null && l.isAlive();
    }

    /** Whether the worker has a free slot, waiting for a task. */
    public boolean isIdle() {
        return consumers.stream().anyMatch(TaskConsumer::isIdle);
    }

    /** The attempts running now. */
    public List<AttemptRef> running() {
        return attempts.list();
    }

    /** Stops taking tasks (waiting for the running ones), then stops listening and heartbeating. */
    @Override
    public synchronized void close() {
        consumers.forEach(TaskConsumer::stopTaking);
        consumers.forEach(TaskConsumer::awaitStopped);
        if (control != null) {
            control.close();
        }
        heartbeats.close();
    }
}
