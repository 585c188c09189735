package dev.mapreduce.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a running task attempt to stop. The attempt checks it at points where stopping leaves
 * nothing half written ({@link #throwIfCancelled()}), and waits through it ({@link #sleep}) so a
 * cancelled attempt does not sit out a pause. Thread-safe; cancelled at most once.
 */
public final class Cancellation {

    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile String reason;

    /** Cancels with {@code reason}; a second call changes nothing. */
    public synchronized void cancel(String reason) {
        if (this.reason == null) {
            this.reason = reason;
            cancelled.countDown();
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Why the attempt was cancelled, or null. */
    public String reason() {
        return reason;
    }

    /** @throws TaskCancelledException if cancelled */
    public void throwIfCancelled() {
        String why = reason;
        if (why != null) {
            throw new TaskCancelledException(why);
        }
    }

    /**
     * Waits for {@code duration}, or less if the attempt is cancelled meanwhile.
     *
     * @throws TaskCancelledException if cancelled before or while waiting
     */
    public void sleep(Duration duration) {
        try {
            cancelled.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskCancelledException("interrupted");
        }
        throwIfCancelled();
    }
}
