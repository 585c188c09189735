package dev.mapreduce.coordinator.monitor;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A duty the coordinator runs on a timer of its own, on one daemon thread, from the application's start to its stop:
 * the subclass says when ({@link #schedule}, from {@link #start()}) and what ({@link #tick()}). A tick that throws
 * ends the timer (as {@link ScheduledExecutorService} does), so ticks catch what they can survive.
 */
public abstract class PeriodicDuty implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String threadName;
    private ScheduledExecutorService executor;
    private volatile boolean failing;

    protected PeriodicDuty(String threadName) {
        this.threadName = threadName;
    }

    /** One run of the duty. */
    protected abstract void tick();

    /**
     * Runs one pass, for a {@link #tick()} to survive what the database or Redis throws: the first
     * failure of a run of them is logged ({@code cannot <what> now: …}), and the pass that works
     * again, so an outage logs two lines however many ticks it lasts.
     */
    protected final void survive(String what, Runnable pass) {
        try {
            pass.run();
            if (failing) {
                log.info("{}: working again", what);
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("cannot {} now (retrying every tick): {}", what, e.getMessage());
                failing = true;
            }
        }
    }

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
