package dev.mapreduce.runtime;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes task messages of one kind from the share group every worker of that kind belongs to, one
 * at a time, only while idle: a worker busy with a long task leaves the waiting tasks to the
 * others.
 *
 * <p>Taking a task: the worker reports STARTED first and only then acknowledges the record, so a
 * worker that dies in between leaves an unacknowledged record, which the broker hands to another
 * worker when the connection drops. Once acknowledged, the coordinator, not Kafka, decides whether
 * the task runs again. A task that names this worker in {@code avoidWorkers} (an earlier attempt
 * failed here) is released to the others on its first {@value #PASS_ON_DELIVERIES} deliveries and
 * run here only if it keeps coming back, as it does when no other worker takes it.
 *
 * <p>Everything logged on the consumer thread while it takes and runs a task carries the task's job,
 * task and attempt in the logging context ({@link TaskMdc}); handlers run the whole task on this
 * thread.
 */
public final class TaskConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskConsumer.class);

    /** Deliveries of a task on which a worker it should avoid passes it on. */
    static final int PASS_ON_DELIVERIES = 2;
    /** How long a worker that passed a task on (or could not start it) waits before polling again. */
    static final Duration PASS_ON_PAUSE = Duration.ofMillis(500);

    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaShareConsumer<String, byte[]> consumer;
    private final String workerId;
    private final TaskHandler handler;
    private final RunningAttempts attempts;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean polling;

    /**
     * @param attempts where the running attempt is registered, for heartbeats and cancellation
     */
    public TaskConsumer(
            KafkaClientConfig kafka,
            TaskType type,
            String workerId,
            int slot,
            TaskHandler handler,
            RunningAttempts attempts) {
        // one task at a time, acknowledged when done, so no task waits behind a running one
        Map<String, Object> config = kafka.build(
                "task consumer",
                Map.of(ConsumerConfig.CLIENT_ID_CONFIG, slot == 0 ? workerId : workerId + "-" + slot),
                Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        Topics.workersGroup(type),
                        ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG,
                        "explicit",
                        ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG,
                        "record_limit",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        "1"));
        this.consumer = new KafkaShareConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(Topics.taskTopic(type)));
        this.workerId = workerId;
        this.handler = handler;
        this.attempts = attempts;
        this.thread = new Thread(this::loop, type.tag() + "-task-consumer-" + slot);
    }

    /** A consumer whose tasks report nothing and cannot be cancelled: for scripted workers in tests. */
    public TaskConsumer(String bootstrapServers, TaskType type, String workerId, Consumer<TaskMessage> handler) {
        this(
                KafkaClientConfig.of(bootstrapServers),
                type,
                workerId,
                0,
                new TaskHandler() {
                    @Override
                    public void start(TaskMessage task) {}

                    @Override
                    public void run(TaskMessage task, Cancellation cancellation) {
                        handler.accept(task);
                    }
                },
                new RunningAttempts());
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
                var records = consumer.poll(Duration.ofSeconds(1));
                polling = false;
                for (ConsumerRecord<String, byte[]> record : records) { // at most one: max.poll.records
                    take(record);
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

    private void take(ConsumerRecord<String, byte[]> record) {
        TaskMessage task;
        try {
            task = Messages.decode(record.value(), TaskMessage.class);
        } catch (IllegalArgumentException e) {
            log.error("rejecting an unreadable task message at offset {}: {}", record.offset(), e.getMessage());
            settle(record, AcknowledgeType.REJECT, "unreadable task");
            return;
        }
        try (TaskMdc.Scope ignored = TaskMdc.of(task)) {
            take(record, task);
        }
    }

    private void take(ConsumerRecord<String, byte[]> record, TaskMessage task) {
        int delivery = record.deliveryCount().map(Short::intValue).orElse(Integer.MAX_VALUE);
        if (task.avoidWorkers().contains(workerId) && delivery <= PASS_ON_DELIVERIES) {
            log.info(
                    "passing {} on to another worker (delivery {}): an earlier attempt failed here",
                    task.attemptName(),
                    delivery);
            settle(record, AcknowledgeType.RELEASE, task.attemptName());
            pause();
            return;
        }
        AttemptRef attempt = AttemptRef.of(task);
        Cancellation cancellation = attempts.begin(attempt);
        try {
            try {
                handler.start(task);
            } catch (RuntimeException e) {
                log.warn(
                        "cannot report the start of {}, handing it back to the queue: {}",
                        task.attemptName(),
                        e.getMessage());
                settle(record, AcknowledgeType.RELEASE, task.attemptName());
                pause();
                return;
            }
            settle(record, AcknowledgeType.ACCEPT, task.attemptName());
            handler.run(task, cancellation);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // A handler reports its own failures; this is a last resort so the worker keeps taking tasks.
            log.error("task {} escaped its handler", task.attemptName(), e);
        } finally {
            attempts.end(attempt);
        }
    }

    /**
     * Acknowledges the record and commits the acknowledgement. A commit that fails is logged, not
     * thrown: the broker then gives the record to a worker again once its lock expires.
     */
    private void settle(ConsumerRecord<String, byte[]> record, AcknowledgeType type, String what) {
        consumer.acknowledge(record, type);
        try {
            for (Optional<KafkaException> error :
                    consumer.commitSync(COMMIT_TIMEOUT).values()) {
                error.ifPresent(e -> log.warn("Kafka did not take the {} of {}: {}", type, what, e.getMessage()));
            }
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("cannot commit the {} of {}: {}", type, what, e.getMessage());
        }
    }

    /** Leaves the released task to the other workers for a moment. */
    private void pause() {
        try {
            closing.await(PASS_ON_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() {
        stopTaking();
        awaitStopped();
    }

    /**
     * Takes no further task; a running one goes on to its end. Stopping every slot first and only
     * then waiting ({@link #awaitStopped}) lets a worker's running tasks all finish at once.
     */
    void stopTaking() {
        if (running.compareAndSet(true, false)) {
            closing.countDown();
            if (thread.getState() == Thread.State.NEW) {
                consumer.close(Duration.ofSeconds(5));
                return;
            }
            consumer.wakeup();
        }
    }

    /** Waits (up to 30 s) for the running task to end and the consumer to close. */
    void awaitStopped() {
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
