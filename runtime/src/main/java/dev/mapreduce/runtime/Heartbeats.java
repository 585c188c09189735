package dev.mapreduce.runtime;

import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the coordinator, every {@code interval} on a thread of its own, that this worker is alive
 * and which attempts it runs. A heartbeat that cannot be sent is not retried: the next one is. The
 * failures are logged once when they begin, then at most every {@link #LOG_EVERY}, and once when
 * heartbeats get through again.
 */
public final class Heartbeats implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
    static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final KafkaMessages messages;
    private final String workerId;
    private final TaskType type;
    private final RunningAttempts running;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private long failingSince;
    private long lastLogged;
    private int failures;

    public Heartbeats(
            KafkaMessages messages, String workerId, TaskType type, RunningAttempts running, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive, got " + interval);
        }
        this.messages = messages;
        this.workerId = workerId;
        this.type = type;
        this.running = running;
        this.interval = interval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, type.tag() + "-heartbeats");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sends the first heartbeat now, in the calling thread, then one every interval. */
    public Heartbeats start() {
        beat();
        scheduler.scheduleWithFixedDelay(this::beat, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    private synchronized void beat() {
        try {
            messages.send(TaskEvent.heartbeat(workerId, type, running.list()));
            if (failures > 0) {
                log.info(
                        "heartbeats of {} get through again, after {} failed in {} s",
                        workerId,
                        failures,
                        Duration.ofNanos(System.nanoTime() - failingSince).toSeconds());
                failures = 0;
            }
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            if (failures++ == 0) {
                failingSince = now;
                lastLogged = now;
                log.warn("cannot send a heartbeat of {}: {}", workerId, e.getMessage());
            } else if (now - lastLogged >= LOG_EVERY.toNanos()) {
                lastLogged = now;
                log.warn(
                        "heartbeats of {} are still failing ({} in {} s): {}",
                        workerId,
                        failures,
                        Duration.ofNanos(now - failingSince).toSeconds(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
