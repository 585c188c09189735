package dev.mapreduce.coordinator.monitor;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * A duty the coordinator runs on a timer of its own, on one daemon thread, from the application's start to its stop:
 * the subclass says when ({@link #schedule}, from {@link #start()}) and what ({@link #tick()}). A tick that throws
 * ends the timer (as {@link ScheduledExecutorService} does), so ticks catch what they can survive.
 */
public abstract class PeriodicDuty implements SmartLifecycle {

    private final String threadName;
    private ScheduledExecutorService executor;

    protected PeriodicDuty(String threadName) {
        this.threadName = threadName;
    }

    /** One run of the duty. */
    protected abstract void tick();

    /** Runs {@link #tick()} every {@code period} (between the end of one and the start of the next). */
    protected final synchronized void schedule(Duration initialDelay, Duration period) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::tick, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
